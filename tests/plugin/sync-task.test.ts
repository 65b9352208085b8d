// SyncTask through the oms plugin, as the engine calls it in preview, up, refresh, import and destroy, against the
// emulator: the same lifecycle as the dynamic resource, so the same requests.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { UNKNOWN } from "../../provider/core/values";
import { PROJECT_ID, seedAwsTask } from "../support/fixture";
import { TASK_KEYS } from "../support/secrets";
import {
  cancelDuring,
  DIFF,
  NativePlugin,
  plain,
  secretKeysOf,
  SYNC_TASK as TYPE,
  type PluginError,
} from "./support/native-plugin";
import { configArgs, ops, SignatureLog, pluginPerFile } from "./support/stack";

type Props = Record<string, unknown>;
const DEFINITION = {
  srcCloudType: "AWS",
  srcRegion: "us-east-1",
  srcBucket: "logs-src",
  dstRegion: "cn-north-4",
  dstBucket: "logs-dst",
  description: "nightly logs",
};
let emulator: OmsEmulator;
let plugin: NativePlugin;
const signatures = new SignatureLog();

pluginPerFile((started, own) => ([emulator, plugin] = [started, own]));

beforeEach(() => {
  signatures.note(emulator);
  // Each test's tasks are its own: a create refuses a bucket pair that already has a task.
  for (const task of emulator.allTasks()) emulator.removeTask(task.projectId, task.id);
  emulator.clearLog();
});

/** Check, then Create with the checked inputs: `pulumi up` of a new resource. */
async function up(news: Props) {
  const { inputs, failures } = await plugin.check(TYPE, {}, news);
  expect(failures).toEqual([]);
  return { ...(await plugin.create(TYPE, inputs)), inputs };
}

/** Check and Diff of a program against the stored outputs: what `pulumi preview` shows. */
async function preview(id: string, olds: Props, oldInputs: Props, news: Props) {
  const { inputs, failures } = await plugin.check(TYPE, oldInputs, news);
  expect(failures).toEqual([]);
  return { diff: await plugin.diff(TYPE, id, olds, inputs), inputs };
}

describe("SyncTask through the oms plugin", () => {
  it("previews unknown definition fields as replacements, deleting first, and a create without a call", async () => {
    const unknown = Object.fromEntries(Object.keys(DEFINITION).map((key) => [key, UNKNOWN]));
    const { inputs, failures } = await plugin.check(TYPE, {}, { ...unknown, state: UNKNOWN });
    expect(failures).toEqual([]);
    const created = await plugin.create(TYPE, inputs, true);
    expect(plain(created.properties)).toMatchObject({ ...unknown, syncTaskId: UNKNOWN, status: UNKNOWN });
    const olds = {
      ...DEFINITION,
      state: "started",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
      timeoutSeconds: 300,
      status: "SYNCHRONIZING",
    };
    const diff = await plugin.diff(TYPE, "t-1", olds, inputs);
    expect(diff).toMatchObject({
      changes: DIFF.DIFF_SOME,
      replaces: Object.keys(DEFINITION),
      deleteBeforeReplace: true,
    });
    expect(diff.detailed).toEqual({
      ...Object.fromEntries(Object.keys(DEFINITION).map((k) => [k, "UPDATE_REPLACE"])),
      state: "UPDATE",
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it("runs a whole lifecycle: create, no-op, flip, key rotation, refresh, delete", async () => {
    const created = await up(DEFINITION);
    const id = created.id;
    expect(ops(emulator)).toEqual(["list", "create", "show"]);
    expect(JSON.parse(emulator.log("create")[0].body)).toMatchObject({
      src_ak: TASK_KEYS.srcAk,
      dst_sk: TASK_KEYS.dstSk,
    });
    expect(plain(created.properties)).toMatchObject({
      ...DEFINITION,
      syncTaskId: id,
      state: "started",
      status: "SYNCHRONIZING",
    });
    expect(plain(created.properties).createTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(secretKeysOf(created.properties)).toEqual(["startKeysDigest"]);

    emulator.clearLog();
    const same = await preview(id, created.properties, created.inputs, DEFINITION);
    expect(same.diff.changes).toBe(DIFF.DIFF_NONE);
    const flip = await preview(id, created.properties, created.inputs, { ...DEFINITION, state: "paused" });
    expect(flip.diff).toEqual({
      changes: DIFF.DIFF_SOME,
      replaces: [],
      deleteBeforeReplace: false,
      detailed: { state: "UPDATE" },
    });
    const paused = await plugin.update(TYPE, id, created.properties, flip.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show"]);
    expect(plain(paused)).toMatchObject({ syncTaskId: id, state: "paused", status: "STOPPED" });

    emulator.clearLog();
    const back = await preview(id, paused, flip.inputs, DEFINITION);
    const started = await plugin.update(TYPE, id, paused, back.inputs);
    expect(ops(emulator)).toEqual(["show", "start", "show"]);

    const rotated = { ...TASK_KEYS, srcSk: "srcsk-rotated-0011" };
    emulator.rotateKeys(PROJECT_ID, id, rotated);
    await plugin.configure(configArgs(emulator.url, { "oms:srcSk": rotated.srcSk }));
    emulator.clearLog();
    const rotation = await preview(id, started, back.inputs, DEFINITION);
    expect(rotation.diff).toMatchObject({ changes: DIFF.DIFF_SOME, replaces: [] });
    const restarted = await plugin.update(TYPE, id, started, rotation.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, id)?.runningKeys).toEqual(rotated);

    emulator.setStatus(PROJECT_ID, id, "STOPPED");
    emulator.clearLog();
    const refreshed = await plugin.read(TYPE, id, restarted, rotation.inputs);
    expect(ops(emulator)).toEqual(["show"]);
    expect(plain(refreshed.inputs)).toMatchObject({ ...DEFINITION, state: "paused" });

    emulator.clearLog();
    await plugin.delete(TYPE, id, refreshed.properties);
    expect(ops(emulator)).toEqual(["show", "delete"]);
    expect(emulator.task(PROJECT_ID, id)).toBeUndefined();
    await plugin.configure(configArgs(emulator.url));
  });

  it("replaces the task when a definition field changes: the old one is stopped and deleted, then a new one made", async () => {
    const created = await up(DEFINITION);
    emulator.clearLog();
    const changed = await preview(created.id, created.properties, created.inputs, {
      ...DEFINITION,
      dstBucket: "logs-dst-2",
    });
    expect(changed.diff).toEqual({
      changes: DIFF.DIFF_SOME,
      replaces: ["dstBucket"],
      deleteBeforeReplace: true,
      detailed: { dstBucket: "UPDATE_REPLACE" },
    });
    await plugin.delete(TYPE, created.id, created.properties);
    const replacement = await plugin.create(TYPE, changed.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show", "delete", "list", "create", "show"]);
    expect(emulator.task(PROJECT_ID, replacement.id)?.dstBucket).toBe("logs-dst-2");
  });

  it("imports a task by id alone: its definition as inputs, one show, and a preview of them with no change", async () => {
    const task = seedAwsTask(emulator, "logs", { keys: TASK_KEYS, description: "nightly logs" });
    const imported = await plugin.read(TYPE, task.id);
    expect(ops(emulator)).toEqual(["show"]);
    // The definition as OMS shows it, its defaults spelled out; the connection and the timeout come from the stack.
    expect(plain(imported.inputs)).toEqual({
      ...DEFINITION,
      enableMetadataMigration: false,
      enableRestore: false,
      dstStoragePolicy: "STANDARD",
      consistencyCheck: "size_last_modified",
      state: "started",
    });
    expect(plain(imported.properties)).toMatchObject({ ...DEFINITION, syncTaskId: task.id, projectId: PROJECT_ID });
    expect(secretKeysOf(imported.properties)).toEqual(["startKeysDigest"]);

    emulator.clearLog();
    const { diff } = await preview(task.id, imported.properties, imported.inputs, plain(imported.inputs));
    expect(diff.changes).toBe(DIFF.DIFF_NONE);
    expect(emulator.requests).toHaveLength(0);
  });

  it("reports a create whose wait times out with the new id; the next up converges that task", async () => {
    emulator.configure({ transitionDelayMs: 60_000 });
    const { inputs } = await plugin.check(TYPE, {}, { ...DEFINITION, timeoutSeconds: 0.5 });
    const error = (await plugin.create(TYPE, inputs).catch((e: unknown) => e)) as PluginError;
    emulator.configure({ transitionDelayMs: 0 });
    expect(error.details).toMatch(/OMS wait of sync task .* did not show status SYNCHRONIZING within 0\.5 s/);
    const id = error.initFailed!.id;
    expect(emulator.task(PROJECT_ID, id)).toBeDefined();
    expect(plain(error.initFailed!.properties)).toMatchObject({ ...DEFINITION, syncTaskId: id });
    expect(error.initFailed!.properties).not.toHaveProperty("credentials");
    expect(secretKeysOf(error.initFailed!.properties)).toEqual(["startKeysDigest"]);
    expect(emulator.log("create")).toHaveLength(1);

    emulator.setStatus(PROJECT_ID, id, "SYNCHRONIZING");
    emulator.clearLog();
    const next = await preview(id, error.initFailed!.properties, inputs, { ...DEFINITION, timeoutSeconds: 5 });
    expect(next.diff.replaces).toEqual([]);
    const updated = await plugin.update(TYPE, id, error.initFailed!.properties, next.inputs);
    expect(ops(emulator)).toEqual(["show"]);
    expect(plain(updated)).toMatchObject({ syncTaskId: id, status: "SYNCHRONIZING" });
  });

  it("Cancel during a destroy's retries on OMS.0063 ends them at once, and the task it paused is started again", async () => {
    const own = await NativePlugin.start();
    try {
      await own.configure(configArgs(emulator.url));
      const { inputs } = await own.check(TYPE, {}, { ...DEFINITION, timeoutSeconds: 600 });
      const created = await own.create(TYPE, inputs);
      emulator.inject({
        operation: "delete",
        times: 100_000,
        fault: {
          kind: "status",
          status: 400,
          body: '{"error_code":"OMS.0063","error_msg":"The task is in progress."}',
        },
      });
      emulator.clearLog();
      const { error, msAfterCancel } = await cancelDuring(
        own,
        own.delete(TYPE, created.id, created.properties),
        () => emulator.log("delete").length >= 3,
      );
      // The retries would go on for the 600 s the resource allows.
      expect(msAfterCancel).toBeLessThan(5_000);
      expect(error?.details).toContain(
        "the engine cancelled the operation before OMS stopped reporting the task in progress (OMS.0063). Run `pulumi destroy` again",
      );
      expect(error?.details).toContain(
        "The delete had paused the task first; it was started again and is synchronizing",
      );
      expect(ops(emulator).slice(-2)).toEqual(["start", "show"]);
      expect(emulator.task(PROJECT_ID, created.id)?.status).toBe("SYNCHRONIZING");
      signatures.note(emulator);
      expect(signatures.leaksIn(own)).toEqual([]);
    } finally {
      emulator.clearFaults();
      own.stop();
    }
  });

  it("leaves no key, token or signature in any response, error or plugin output", () => {
    signatures.note(emulator);
    expect(signatures.size).toBeGreaterThan(5);
    expect(signatures.leaksIn(plugin)).toEqual([]);
    expect(plugin.stderr).toBe("");
  });
});
