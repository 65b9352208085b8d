// The Node.js that runs under the CLI is the one this test run claims: `.ci/run` runs the CLI main path under each
// Node.js it names (OMS_SYNC_NODE_VERSION), and this test fails when a program or a dynamic provider ran under another.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { startEmulator } from "../support/fixture";
import { CliStack, pulumiVersion } from "./support/cli";
import { programDir } from "./support/program";

let emulator: OmsEmulator;
let stack: CliStack;

beforeAll(async () => {
  emulator = await startEmulator();
  stack = new CliStack({ programDir: programDir({ program: "runtime" }), emulator });
  await stack.init({}, []);
}, 300_000);

afterAll(async () => {
  process.stdout.write(stack?.table(`Node.js ${process.version} under ${pulumiVersion()}`));
  await stack?.run("destroy", ["destroy", "--yes"]);
  stack?.remove();
  await emulator?.stop();
});

it("the program and a dynamic resource's provider run under the Node.js of this test run", async () => {
  const claimed = process.env.OMS_SYNC_NODE_VERSION;
  const expected = claimed ? `v${claimed}` : process.version;
  expect(process.version).toBe(expected);
  await stack.must("up", ["up", "--yes"]);
  const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
  expect(outputs).toEqual({ programNode: expected, providerNode: expected });
});
