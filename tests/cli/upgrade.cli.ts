// State written by 0.1.0 under the real Pulumi CLI, then this version installed over it: refresh, up and destroy must
// work on it (the stored `__provider` code of 0.1.0 calls `require("pulumi-oms-sync").lifecycle` by name).
import * as fs from "fs";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { createPackedProgram } from "../support/packed-program";
import { TYPE } from "../support/plugin";
import { CliStack, pulumiVersion } from "./support/cli";
import { installTarball, omsConfig, programWith, SECRET_CONFIG, TARBALL_0_1_0 } from "./support/program";

let emulator: OmsEmulator;
let stack: CliStack;
let taskId: string;
let current: string;

beforeAll(async () => {
  emulator = await startEmulator();
  taskId = seedPaused(emulator).id;
  current = createPackedProgram().tarball;
  stack = new CliStack({ programDir: programWith(TARBALL_0_1_0, "start-task"), emulator });
  await stack.init({ ...omsConfig(emulator.url), syncTaskId: taskId, state: "started" }, SECRET_CONFIG);
}, 300_000);

afterAll(async () => {
  process.stdout.write(stack?.table(`Upgrade from 0.1.0, ${pulumiVersion()}`));
  stack?.remove();
  await emulator?.stop();
});

const status = () => emulator.task(PROJECT_ID, taskId)?.status;

it("0.1.0 starts the task and writes its state", async () => {
  const installed = JSON.parse(
    fs.readFileSync(path.join(stack.dir, "node_modules/pulumi-oms-sync/package.json"), "utf8"),
  );
  expect(installed.version).toBe("0.1.0");
  await stack.must("up (0.1.0)", ["up", "--yes"]);
  expect(status()).toBe("SYNCHRONIZING");
  expect((await stack.resource(TYPE, "nightly-mirror"))?.outputs?.__provider).toEqual(expect.any(String));
});

it("this version refreshes 0.1.0's state, follows a console pause, starts the task again and destroys", async () => {
  installTarball(stack.dir, current);
  emulator.setStatus(PROJECT_ID, taskId, "STOPPED");
  const refresh = await stack.must("refresh (upgraded)", ["refresh", "--yes"]);
  expect(CliStack.mutations(refresh)).toEqual({});
  expect((await stack.resource(TYPE, "nightly-mirror"))?.outputs).toMatchObject({ state: "paused" });
  const up = await stack.must("up (upgraded)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({ start: 1 });
  expect(status()).toBe("SYNCHRONIZING");
  const destroy = await stack.must("destroy (upgraded)", ["destroy", "--yes"]);
  expect(destroy.calls).toEqual({});
  expect(status()).toBe("SYNCHRONIZING");
});
