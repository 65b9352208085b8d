// The model at the lifecycle level: random sequences of the three resources' commands, console actions, faults and
// process restarts, each checked against the eight invariants. The seed is fixed, so that a red run is the code's and
// replays the same way; OMS_SYNC_MODEL_SEED picks another, and `npm run soak` explores fresh ones.
import { runModel } from "./run-model";

const seed = Number(process.env.OMS_SYNC_MODEL_SEED ?? 20261130);

describe("every sequence holds (lifecycle level)", () => {
  it("200 random sequences of up to 25 commands keep all eight invariants", async () => {
    const result = await runModel({ level: "lifecycle", runs: 200, seed });
    expect(result.runs).toBe(200);
  }, 600_000);
});
