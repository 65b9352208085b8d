// SyncTaskState through the oms plugin, as the engine calls it in preview, up, refresh, import and destroy, against
// the emulator: the same lifecycle as the dynamic resource, so the same requests.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { UNKNOWN } from "../../provider/core/values";
import { ALL_UNKNOWN_INPUTS, PROJECT_ID, seedPaused } from "../support/fixture";
import { TASK_KEYS } from "../support/secrets";
import {
  DIFF,
  NativePlugin,
  plain,
  secret,
  secretKeysOf,
  SYNC_TASK_STATE as TYPE,
  type PluginError,
} from "./support/native-plugin";
import { configArgs, ops, SignatureLog, pluginPerFile } from "./support/stack";

type Props = Record<string, unknown>;
let emulator: OmsEmulator;
let plugin: NativePlugin;
const signatures = new SignatureLog();

pluginPerFile((started, own) => ([emulator, plugin] = [started, own]));

beforeEach(() => {
  signatures.note(emulator);
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

describe("SyncTaskState through the oms plugin", () => {
  it("previews a program whose every input is unknown: no failure, outputs unknown, no call", async () => {
    const { inputs, failures } = await plugin.check(TYPE, {}, ALL_UNKNOWN_INPUTS);
    expect(failures).toEqual([]);
    const created = await plugin.create(TYPE, inputs, true);
    expect(created.id).toBe("");
    expect(plain(created.properties)).toMatchObject({
      ...ALL_UNKNOWN_INPUTS,
      status: UNKNOWN,
      startKeysDigest: UNKNOWN,
    });
    expect(secretKeysOf(created.properties).sort()).toEqual(["credentials", "startKeysDigest"]);
    expect(emulator.requests).toHaveLength(0);
  });

  it("runs a whole lifecycle: create, no-op, flip, key rotation in config and in credentials, refresh, delete", async () => {
    const task = seedPaused(emulator);
    const created = await up({ syncTaskId: task.id, state: "started" });
    expect(created.id).toBe(task.id);
    expect(ops(emulator)).toEqual(["show", "start", "show"]);
    expect(plain(created.properties)).toMatchObject({ syncTaskId: task.id, state: "started", status: "SYNCHRONIZING" });
    expect(secretKeysOf(created.properties)).toEqual(["startKeysDigest"]);
    expect(created.properties).not.toHaveProperty("__provider");

    emulator.clearLog();
    const same = await preview(task.id, created.properties, created.inputs, { syncTaskId: task.id, state: "started" });
    expect(same.diff).toEqual({ changes: DIFF.DIFF_NONE, replaces: [], deleteBeforeReplace: false, detailed: {} });

    const flip = await preview(task.id, created.properties, created.inputs, { syncTaskId: task.id, state: "paused" });
    expect(flip.diff).toEqual({
      changes: DIFF.DIFF_SOME,
      replaces: [],
      deleteBeforeReplace: false,
      detailed: { state: "UPDATE" },
    });
    const planned = await plugin.update(TYPE, task.id, created.properties, flip.inputs, true);
    expect(plain(planned)).toMatchObject({ state: "paused", status: UNKNOWN });
    expect(emulator.requests).toHaveLength(0);
    const paused = await plugin.update(TYPE, task.id, created.properties, flip.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show"]);
    expect(plain(paused)).toMatchObject({ state: "paused", status: "STOPPED" });

    emulator.clearLog();
    const back = await preview(task.id, paused, flip.inputs, { syncTaskId: task.id, state: "started" });
    const started = await plugin.update(TYPE, task.id, paused, back.inputs);
    expect(ops(emulator)).toEqual(["show", "start", "show"]);

    // The bucket owner rotates the source secret key; the stack config follows it.
    const rotated = { ...TASK_KEYS, srcSk: "srcsk-rotated-0009" };
    emulator.rotateKeys(PROJECT_ID, task.id, rotated);
    await plugin.configure(configArgs(emulator.url, { "oms:srcSk": rotated.srcSk }));
    emulator.clearLog();
    const rotation = await preview(task.id, started, back.inputs, { syncTaskId: task.id, state: "started" });
    // Nothing in the inputs changed: an update with an empty detail, not the engine's own comparison.
    expect(rotation.diff).toEqual({ changes: DIFF.DIFF_SOME, replaces: [], deleteBeforeReplace: false, detailed: {} });
    const restarted = await plugin.update(TYPE, task.id, started, rotation.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, task.id)?.runningKeys).toEqual(rotated);

    // Keys given on the resource itself, even in plain text: secret from the check on, and another restart.
    const own = { ...TASK_KEYS, dstSk: "dstsk-own-0010" };
    emulator.rotateKeys(PROJECT_ID, task.id, own);
    emulator.clearLog();
    const withOwn = await preview(task.id, restarted, rotation.inputs, {
      syncTaskId: task.id,
      state: "started",
      credentials: own,
    });
    expect(secretKeysOf(withOwn.inputs)).toEqual(["credentials"]);
    expect(withOwn.diff).toMatchObject({ changes: DIFF.DIFF_SOME, detailed: { credentials: "ADD" } });
    const ownKeys = await plugin.update(TYPE, task.id, restarted, withOwn.inputs);
    expect(ops(emulator)).toEqual(["show", "stop", "show", "start", "show"]);
    expect(secretKeysOf(ownKeys).sort()).toEqual(["credentials", "startKeysDigest"]);
    expect(emulator.task(PROJECT_ID, task.id)?.runningKeys).toEqual(own);

    // Paused in the console: a refresh follows OMS, then the task is deleted there and the refresh drops it.
    emulator.setStatus(PROJECT_ID, task.id, "STOPPED");
    emulator.clearLog();
    const refreshed = await plugin.read(TYPE, task.id, ownKeys, withOwn.inputs);
    expect(ops(emulator)).toEqual(["show"]);
    expect(plain(refreshed.properties)).toMatchObject({ state: "paused", status: "STOPPED" });
    expect(plain(refreshed.inputs)).toMatchObject({ state: "paused", credentials: own });
    expect(secretKeysOf(refreshed.inputs)).toEqual(["credentials"]);
    emulator.removeTask(PROJECT_ID, task.id);
    expect((await plugin.read(TYPE, task.id, ownKeys, withOwn.inputs)).id).toBe("");

    emulator.clearLog();
    await plugin.delete(TYPE, task.id, ownKeys);
    expect(emulator.requests).toHaveLength(0);
    await plugin.configure(configArgs(emulator.url));
  });

  it("replaces the resource for another syncTaskId, the new one first", async () => {
    const task = seedPaused(emulator);
    const created = await up({ syncTaskId: task.id, state: "paused" });
    const other = await preview(task.id, created.properties, created.inputs, {
      syncTaskId: "another-task",
      state: "paused",
    });
    expect(other.diff).toEqual({
      changes: DIFF.DIFF_SOME,
      replaces: ["syncTaskId"],
      deleteBeforeReplace: false,
      detailed: { syncTaskId: "UPDATE_REPLACE" },
    });
  });

  it("imports a task by id alone: inputs a program needs, one show, and a preview of them with no change", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const imported = await plugin.read(TYPE, task.id);
    expect(ops(emulator)).toEqual(["show"]);
    expect(imported.id).toBe(task.id);
    expect(plain(imported.inputs)).toEqual({ syncTaskId: task.id, state: "started" });
    expect(plain(imported.properties)).toMatchObject({
      syncTaskId: task.id,
      state: "started",
      status: "SYNCHRONIZING",
      projectId: PROJECT_ID,
      endpoint: emulator.url,
      timeoutSeconds: 300,
    });
    expect(secretKeysOf(imported.properties)).toEqual(["startKeysDigest"]);

    // The engine checks the imported inputs; the generated program then previews clean.
    emulator.clearLog();
    const { diff } = await preview(task.id, imported.properties, imported.inputs, plain(imported.inputs));
    expect(diff.changes).toBe(DIFF.DIFF_NONE);
    expect(emulator.requests).toHaveLength(0);

    const missing = await plugin.read(TYPE, "no-such-task").catch((e: PluginError) => e);
    expect((missing as PluginError).details).toContain(
      'cannot import or read oms:index:SyncTaskState "no-such-task": OMS shows no such sync task in this project and region',
    );
  });

  it("records a create whose wait times out as a partial failure, with the keys' digest and no keys", async () => {
    emulator.configure({ transitionDelayMs: 60_000 });
    try {
      const task = seedPaused(emulator);
      const { inputs } = await plugin.check(
        TYPE,
        {},
        { syncTaskId: task.id, state: "started", timeoutSeconds: 0.5, credentials: secret(TASK_KEYS) },
      );
      const error = (await plugin.create(TYPE, inputs).catch((e: unknown) => e)) as PluginError;
      expect(error.details).toMatch(/did not show status SYNCHRONIZING within 0\.5 s/);
      expect(error.details).toContain("Recorded in state: a start was sent");
      expect(error.initFailed?.id).toBe(task.id);
      expect(plain(error.initFailed!.properties)).toMatchObject({
        syncTaskId: task.id,
        state: "started",
        status: "STOPPED",
      });
      expect(error.initFailed!.properties).not.toHaveProperty("credentials");
      expect(secretKeysOf(error.initFailed!.properties)).toEqual(["startKeysDigest"]);
      expect(ops(emulator).filter((o) => o === "start")).toHaveLength(1);
    } finally {
      emulator.configure({ transitionDelayMs: 0 });
    }
  });

  it("starts fifteen tasks at once in one process: every wait ends with its task, and nothing is written to stderr", async () => {
    const tasks = Array.from({ length: 15 }, () => seedPaused(emulator));
    emulator.configure({ transitionDelayMs: 1_000 });
    try {
      const created = await Promise.all(tasks.map((t) => up({ syncTaskId: t.id, state: "started" })));
      expect(created.map((c) => plain(c.properties).status)).toEqual(tasks.map(() => "SYNCHRONIZING"));
      // All fifteen waited at once: each sent one start, and polled more than once.
      expect(emulator.log("start")).toHaveLength(15);
      expect(emulator.log("show").length).toBeGreaterThan(30);
    } finally {
      emulator.configure({ transitionDelayMs: 0 });
    }
    // Node.js warns (MaxListenersExceededWarning) when more than ten waits hang on one AbortSignal.
    expect(plugin.stderr).toBe("");
  });

  it("leaves no key, token or signature in any response, error or plugin output", () => {
    signatures.note(emulator);
    expect(signatures.size).toBeGreaterThan(10);
    expect(signatures.leaksIn(plugin)).toEqual([]);
    expect(plugin.stderr).toBe("");
  });
});
