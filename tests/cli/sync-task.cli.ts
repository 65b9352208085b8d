// SyncTask under the real Pulumi CLI: create, pause and start, key rotation in stack config, a replacement, protect,
// retainOnDelete, adoption, SyncTask.get and destroy, each step audited for secrets.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { SYNC_TASK_TYPE } from "../support/plugin";
import { TASK_KEYS } from "../support/secrets";
import { changedProperties, CliStack, pulumiVersion } from "./support/cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./support/program";

const NEW_SRC_AK = "srcak-LEAKCANARY-cli-rotated-0104";

describe.each([undefined, "3.139.0"])("SyncTask through `pulumi` (@pulumi/pulumi %s)", (sdk) => {
  let emulator: OmsEmulator;
  let stack: CliStack;

  beforeAll(async () => {
    emulator = await startEmulator();
    stack = new CliStack({ programDir: programDir({ program: "sync-task" }, sdk), emulator });
    await stack.init({ ...omsConfig(emulator.url), srcBucket: "logs", dstBucket: "logs-copy" }, SECRET_CONFIG);
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(stack?.table(`SyncTask, ${pulumiVersion()}, @pulumi/pulumi ${sdk ?? "of the lock"}`));
    stack?.remove();
    await emulator?.stop();
  });

  const tasks = () => emulator.allTasks();
  const idInState = async () => (await stack.resource(SYNC_TASK_TYPE, "logs"))?.id;

  it("up creates the task and waits for it to synchronize", async () => {
    const step = await stack.must("up (create)", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({ create: 1 });
    expect(tasks()).toHaveLength(1);
    expect(tasks()[0].status).toBe("SYNCHRONIZING");
    expect(await idInState()).toBe(tasks()[0].id);
  });

  it("pauses and starts it again", async () => {
    await stack.setConfig("state", "paused", false);
    expect(CliStack.mutations(await stack.must("up (paused)", ["up", "--yes"]))).toEqual({ stop: 1 });
    expect(tasks()[0].status).toBe("STOPPED");
    await stack.setConfig("state", "started", false);
    expect(CliStack.mutations(await stack.must("up (started)", ["up", "--yes"]))).toEqual({ start: 1 });
    expect(tasks()[0].status).toBe("SYNCHRONIZING");
  });

  it("a key rotated with `config set --secret` previews as an update without the key, and up restarts with it", async () => {
    const id = tasks()[0].id;
    emulator.rotateKeys(PROJECT_ID, id, { ...TASK_KEYS, srcAk: NEW_SRC_AK });
    await stack.setConfig("oms:srcAk", NEW_SRC_AK, true);
    const preview = await stack.must("preview --diff (rotated)", ["preview", "--diff"]);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    expect(CliStack.mutations(preview)).toEqual({});
    emulator.clearLog();
    const up = await stack.must("up (rotated)", ["up", "--yes"]);
    expect(CliStack.mutations(up)).toEqual({ stop: 1, start: 1 });
    expect(JSON.parse(emulator.log("start")[0].body)).toMatchObject({ src_ak: NEW_SRC_AK });
    expect(tasks()[0].runningKeys?.srcAk).toBe(NEW_SRC_AK);
  });

  it("a definition change replaces the task, deleting the old one before creating the new one", async () => {
    const old = tasks()[0].id;
    await stack.setConfig("dstBucket", "logs-copy-2", false);
    const preview = await stack.must("preview --diff (redefined)", ["preview", "--diff"]);
    expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/oms:SyncTask: \(replace\)/);
    expect(changedProperties(preview.stdout, "logs")).toContain("~ dstBucket");
    emulator.clearLog();
    const up = await stack.must("up (redefined)", ["up", "--yes"]);
    expect(CliStack.mutations(up)).toEqual({ stop: 1, delete: 1, create: 1 });
    const order = emulator.requests.map((r) => r.operation).filter((op) => op === "delete" || op === "create");
    expect(order).toEqual(["delete", "create"]);
    expect(tasks().map((t) => t.id)).not.toContain(old);
    expect(tasks()).toHaveLength(1);
  });

  it("protect: true stops destroy with the CLI's own message, and OMS sees no call", async () => {
    await stack.setConfig("protect", "true", false);
    await stack.must("up (protect)", ["up", "--yes"]);
    const step = await stack.run("destroy (protected)", ["destroy", "--yes"]);
    expect(step.exit).not.toBe(0);
    expect(`${step.stdout}${step.stderr}`).toMatch(/protected/i);
    expect(CliStack.mutations(step)).toEqual({});
    expect(tasks()).toHaveLength(1);
    await stack.setConfig("protect", "false", false);
    await stack.must("up (unprotect)", ["up", "--yes"]);
  });

  it("SyncTask.get reads a task by id into the program, with no change to state", async () => {
    await stack.setConfig("getId", tasks()[0].id, false);
    const step = await stack.must("up (get)", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({});
    const outputs = await stack.must("stack output", ["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toMatchObject({ lookedUpStatus: "SYNCHRONIZING" });
    await stack.must("config rm getId", ["config", "rm", "getId"]);
  });

  it("retainOnDelete keeps the task in OMS when the stack is destroyed, and adopting it takes it back", async () => {
    const kept = tasks()[0].id;
    await stack.setConfig("retainOnDelete", "true", false);
    await stack.must("up (retainOnDelete)", ["up", "--yes"]);
    const destroy = await stack.must("destroy (retained)", ["destroy", "--yes"]);
    expect(CliStack.mutations(destroy)).toEqual({});
    expect(tasks().map((t) => t.id)).toEqual([kept]);
    expect(await idInState()).toBeUndefined();

    await stack.setConfig("retainOnDelete", "false", false);
    await stack.setConfig("adopt", kept, false);
    const adopt = await stack.must("up (adopt)", ["up", "--yes"]);
    expect(CliStack.mutations(adopt)).toEqual({});
    expect(await idInState()).toBe(kept);
    await stack.must("config rm adopt", ["config", "rm", "adopt"]);
  });

  it("destroy stops and deletes the task", async () => {
    // The program no longer names the task to adopt; the stack still holds it.
    const step = await stack.must("destroy", ["destroy", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({ stop: 1, delete: 1 });
    expect(tasks()).toHaveLength(0);
  });
});
