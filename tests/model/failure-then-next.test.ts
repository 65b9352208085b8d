// A failure followed by another command, at the lifecycle level: each sequence that once left OMS other than the
// program said, replayed through the model and all its invariants.
import { runSequence } from "./commands";
import { FAILURE_THEN_NEXT } from "./failure-sequences";
import { levelSettings, tuneFor } from "./run-model";

const settings = levelSettings("lifecycle");
let untune: () => void;
beforeAll(() => (untune = tuneFor(settings)));
afterAll(() => untune());

describe("a failure followed by another command converges (lifecycle level)", () => {
  it.each(FAILURE_THEN_NEXT)(
    "%s",
    async (_name, commands) => {
      await runSequence(settings, commands());
    },
    30_000,
  );
});
