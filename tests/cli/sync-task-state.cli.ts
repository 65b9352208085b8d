// SyncTaskState under the real Pulumi CLI: the start-task example, installed from the packed tarball, against the
// emulator. Each step is audited for secrets (output, backend files, PULUMI_HOME, the CLI's temp folder).
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { TYPE } from "../support/plugin";
import { changedProperties, CliStack, pulumiVersion } from "./support/cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./support/program";

const pulumiVersions = [undefined, "3.139.0"] as const;

describe.each(pulumiVersions)("SyncTaskState through `pulumi` (@pulumi/pulumi %s)", (sdk) => {
  let emulator: OmsEmulator;
  let stack: CliStack;
  let taskId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    taskId = seedPaused(emulator).id;
    stack = new CliStack({ programDir: programDir({ example: "start-task" }, sdk), emulator });
    await stack.init({ ...omsConfig(emulator.url), syncTaskId: taskId, state: "paused" }, SECRET_CONFIG);
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(stack?.table(`SyncTaskState, ${pulumiVersion()}, @pulumi/pulumi ${sdk ?? "of the lock"}`));
    stack?.remove();
    await emulator?.stop();
  });

  const status = () => emulator.task(PROJECT_ID, taskId)?.status;

  it("up on a paused task records it with one show and no start", async () => {
    const step = await stack.must("up (paused)", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({});
    expect(step.calls.show).toBe(1);
    const resource = await stack.resource(TYPE, "nightly-mirror");
    expect(resource?.id).toBe(taskId);
    expect(resource?.outputs).toMatchObject({ state: "paused", status: "STOPPED" });
  });

  it("a flip to started previews as a change of state alone, with no mutating call", async () => {
    await stack.setConfig("state", "started", false);
    const step = await stack.must("preview --diff (started)", ["preview", "--diff"]);
    expect(CliStack.mutations(step)).toEqual({});
    expect(step.stdout).toMatch(/~ state\s*: "paused" => "started"/);
    expect(changedProperties(step.stdout, "nightly-mirror")).toEqual(["~ state"]);
  });

  it("up starts the task and waits for SYNCHRONIZING", async () => {
    const step = await stack.must("up (started)", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({ start: 1 });
    expect(status()).toBe("SYNCHRONIZING");
    expect((await stack.resource(TYPE))?.outputs).toMatchObject({ state: "started", status: "SYNCHRONIZING" });
  });

  it("a second up reports the resource unchanged and makes no call", async () => {
    const step = await stack.must("up (no change)", ["up", "--yes"]);
    expect(step.calls).toEqual({});
    expect(step.stdout).toMatch(/2 unchanged/);
  });

  it("state holds the config's keys only as the default provider's inputs, as ciphertext; the resource holds none", async () => {
    const exported = await stack.exported();
    const provider = exported.deployment.resources?.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
    const keys = ["oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk", "oms:accessKey", "oms:secretKey"];
    for (const key of keys) expect(JSON.stringify(provider?.inputs?.[key])).toMatch(/ciphertext/);
    const resource = await stack.resource(TYPE, "nightly-mirror");
    const own = JSON.stringify([resource?.inputs, resource?.outputs]);
    for (const key of keys) expect(own).not.toContain(key.replace("oms:", ""));
    // Its one secret is the digest of the keys last sent, never a key.
    expect(own.match(/ciphertext/g)).toHaveLength(1);
    expect(JSON.stringify(resource?.outputs?.startKeysDigest)).toMatch(/ciphertext/);
    stack.audit();
  });

  it("after a pause in the console, refresh shows the drift and up starts the task again", async () => {
    emulator.setStatus(PROJECT_ID, taskId, "STOPPED");
    const refresh = await stack.must("refresh (console paused)", ["refresh", "--yes", "--diff"]);
    expect(refresh.stdout).toMatch(/state\s*: "started" => "paused"/);
    expect(CliStack.mutations(refresh)).toEqual({});
    const up = await stack.must("up (after drift)", ["up", "--yes"]);
    expect(CliStack.mutations(up)).toEqual({ start: 1 });
    expect(status()).toBe("SYNCHRONIZING");
  });

  it("destroy leaves the task as it is and makes no call", async () => {
    const step = await stack.must("destroy", ["destroy", "--yes"]);
    expect(step.calls).toEqual({});
    expect(status()).toBe("SYNCHRONIZING");
    expect(await stack.resource(TYPE)).toBeUndefined();
  });
});
