// The model at the lifecycle level: random sequences of both resources' commands, console actions, faults and
// process restarts, each checked against the seven invariants. OMS_SYNC_MODEL_SEED replays one seed.
import { runModel } from "./run-model";

const seed = process.env.OMS_SYNC_MODEL_SEED ? Number(process.env.OMS_SYNC_MODEL_SEED) : undefined;

describe("every sequence holds (lifecycle level)", () => {
  it("200 random sequences of up to 25 commands keep all seven invariants", async () => {
    const result = await runModel({ level: "lifecycle", runs: 200, seed });
    expect(result.runs).toBe(200);
  }, 600_000);
});
