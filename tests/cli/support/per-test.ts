// A stack per test, for CLI test files whose tests each start from nothing: one program directory for the file, and
// for every test its own emulator and stack (its own bucket pair), printed, destroyed and removed after the test.
import type { OmsEmulator } from "../../../emulator/oms-emulator";
import { startEmulator } from "../../support/fixture";
import { CliStack, pulumiVersion } from "./cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./program";

export interface PerTest {
  emulator: OmsEmulator;
  stack: CliStack;
  /** This test's number: its stack is `<prefix>-<pair>`, its buckets `src-<pair>` and `dst-<pair>`. */
  pair: number;
}

/** Registers the hooks; `current` is this test's emulator and stack, with timeoutSeconds as given. */
export function stackPerTest(prefix: string, timeoutSeconds: string): PerTest {
  const current = { pair: 0 } as PerTest;
  let dir: string;
  beforeAll(() => {
    dir = programDir({ program: "sync-task" });
  }, 300_000);
  beforeEach(async () => {
    current.emulator = await startEmulator();
    current.pair += 1;
    const { pair } = current;
    current.stack = new CliStack({ programDir: dir, emulator: current.emulator, stack: `${prefix}-${pair}` });
    await current.stack.init(
      { ...omsConfig(current.emulator.url), srcBucket: `src-${pair}`, dstBucket: `dst-${pair}`, timeoutSeconds },
      SECRET_CONFIG,
    );
  }, 120_000);
  afterEach(async () => {
    const { stack, emulator } = current;
    process.stdout.write(stack.table(`${expect.getState().currentTestName}, ${pulumiVersion()}`));
    emulator.configure({ transitionDelayMs: 0 });
    await stack.run("destroy (cleanup)", ["destroy", "--yes"]);
    await stack.run("stack rm", ["stack", "rm", "--yes", "--force"]);
    stack.remove();
    await emulator.stop();
  });
  return current;
}
