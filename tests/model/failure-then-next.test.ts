// A failure followed by another command, at the lifecycle level: each sequence that once left OMS other than the
// program said, replayed through the model and all its invariants.
import { OPPOSING_CALLS, runSequence } from "./commands";
import { FAILURE_THEN_NEXT } from "./failure-sequences";
import { levelSettings, tuneFor } from "./run-model";

const settings = levelSettings("lifecycle");
let untune: () => void;
beforeAll(() => (untune = tuneFor(settings)));
afterAll(() => untune());

describe("a failure followed by another command converges (lifecycle level)", () => {
  it.each(FAILURE_THEN_NEXT.flatMap(([name, commands]) => OPPOSING_CALLS.map((oms) => [name, oms, commands] as const)))(
    "%s (an OMS whose opposing call %s)",
    async (_name, oms, commands) => {
      await runSequence(settings, commands(), oms);
    },
    30_000,
  );
});
