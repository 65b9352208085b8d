// A failure followed by another command, through Pulumi's own dynamic-provider plugin (the packed package, production
// timings): each sequence that once left OMS other than the program said, replayed through the model.
import { OPPOSING_CALLS, runSequence } from "../model/commands";
import { FAILURE_THEN_NEXT } from "../model/failure-sequences";
import { levelSettings } from "../model/run-model";
import type { LevelSettings } from "../model/world";

let settings: LevelSettings;
beforeAll(() => {
  settings = levelSettings("plugin");
}, 120_000);

describe("a failure followed by another command converges (through the plugin)", () => {
  it.each(FAILURE_THEN_NEXT.flatMap(([name, commands]) => OPPOSING_CALLS.map((oms) => [name, oms, commands] as const)))(
    "%s (an OMS whose opposing call %s)",
    async (_name, oms, commands) => {
      await runSequence(settings, commands(), oms);
    },
    60_000,
  );
});
