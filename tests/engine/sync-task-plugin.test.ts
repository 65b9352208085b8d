// SyncTask as `pulumi preview/up/refresh/destroy` runs it: the packed package, the provider serialized by a real
// registration, and Pulumi's own dynamic-provider plugin driving it over gRPC against the emulator.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedAwsTask, startEmulator } from "../support/fixture";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, SYNC_TASK_TYPE, withoutProvider, type PluginError } from "../support/plugin";
import { ALL_SECRETS, TASK_KEYS, signaturesIn } from "../support/secrets";
import { stackConfig } from "../support/stack";
import { UNKNOWN } from "../../provider/core/values";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
const DIFF_NONE = 1;
const DIFF_SOME = 2;
const DEFINITION = {
  srcCloudType: "AWS",
  srcRegion: "us-east-1",
  srcBucket: "logs-src",
  dstRegion: "cn-north-4",
  dstBucket: "logs-dst",
  description: "nightly logs",
};

let emulator: OmsEmulator;
let plugin: ProviderPlugin;
let providerText: string;
const sent = new Set<string>();
const ops = () => emulator.requests.map((r) => (r.outcome === 200 ? r.operation : `${r.operation}:${r.outcome}`));
const createdIds = new Set<string>();

beforeAll(async () => {
  const program = packedProgram();
  providerText = serializeProviderIn(program.dir, "SyncTask", DEFINITION);
  emulator = await startEmulator({ maxTasksPerAccount: 1_000 });
  plugin = await ProviderPlugin.start(program.dir, providerText, SYNC_TASK_TYPE);
  await plugin.configure(stackConfig(emulator.url), SECRET_CONFIG);
}, 120_000);

afterAll(async () => {
  plugin?.stop();
  await emulator?.stop();
});

beforeEach(() => {
  for (const s of signaturesIn(emulator.requests.map((r) => r.headers))) sent.add(s);
  emulator.clearLog();
  emulator.clearFaults();
  emulator.configure({ transitionDelayMs: 0 });
  // Each test's tasks are its own: a create refuses a bucket pair that already has a task.
  for (const task of emulator.allTasks()) emulator.removeTask(task.projectId, task.id);
});

/** `pulumi up` of one new resource: Check, then Create with the checked inputs. */
async function up(news: Record<string, unknown>) {
  const { inputs, failures } = await plugin.check({}, news);
  expect(failures).toEqual([]);
  const created = await plugin.create(withoutProvider(inputs));
  createdIds.add(created.id);
  return { ...created, inputs: withoutProvider(inputs) };
}

/** `pulumi up` of a changed program over `olds`: Check, Diff, then Update. */
async function upChanged(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const { inputs, failures } = await plugin.check(olds, news);
  expect(failures).toEqual([]);
  const diff = await plugin.diff(id, withoutProvider(olds), withoutProvider(inputs));
  return { diff, inputs: withoutProvider(inputs) };
}

describe("the serialized SyncTask provider", () => {
  it("is at most 2 KB, loads the implementation by package name and holds no secret", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).toContain('require("pulumi-oms-sync").taskLifecycle');
    expect(ALL_SECRETS.filter((s) => providerText.includes(s))).toEqual([]);
  });
});

describe("SyncTask through Pulumi's dynamic-provider plugin", () => {
  it("previews with unknown values: no failure, no API call, a replace of every unknown definition field", async () => {
    const news = Object.fromEntries(Object.keys(DEFINITION).map((k) => [k, UNKNOWN]));
    const { inputs, failures } = await plugin.check({}, { ...news, state: UNKNOWN, credentials: UNKNOWN });
    expect(failures).toEqual([]);
    expect(withoutProvider(inputs)).toMatchObject({ ...news, state: UNKNOWN, timeoutSeconds: 300 });
    const olds = {
      ...DEFINITION,
      state: "started",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
    };
    const diff = await plugin.diff("t", olds, withoutProvider(inputs));
    expect(diff).toEqual({
      changes: DIFF_SOME,
      replaces: Object.keys(DEFINITION),
      deleteBeforeReplace: true,
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it("creates a started task (create, show), then a no-op up makes no call", async () => {
    const created = await up(DEFINITION);
    expect(ops()).toEqual(["list", "create", "show"]);
    const task = emulator.task(PROJECT_ID, created.id)!;
    expect(task.status).toBe("SYNCHRONIZING");
    expect(task.definition).toMatchObject({ src_cloud_type: "AWS", src_bucket: "logs-src", dst_bucket: "logs-dst" });
    expect(JSON.parse(emulator.log("create")[0].body)).toMatchObject({
      src_ak: TASK_KEYS.srcAk,
      dst_sk: TASK_KEYS.dstSk,
    });
    expect(withoutProvider(created.properties)).toMatchObject({
      ...DEFINITION,
      state: "started",
      syncTaskId: created.id,
      status: "SYNCHRONIZING",
      monthlySize: 0,
      objectOverwriteMode: "CRC64_COMPARISON_OVERWRITE",
    });
    expect(created.properties.createTime).toMatch(/^\d{4}-\d\d-\d\dT/);

    emulator.clearLog();
    const { diff } = await upChanged(created.id, created.properties, DEFINITION);
    expect(diff).toEqual({ changes: DIFF_NONE, replaces: [] });
    expect(emulator.requests).toHaveLength(0);
  });

  it("creates a paused task (create, stop, show) and flips it started and back", async () => {
    const created = await up({ ...DEFINITION, state: "paused" });
    expect(ops()).toEqual(["list", "create", "stop", "show"]);
    expect(created.properties).toMatchObject({ state: "paused", status: "STOPPED" });

    emulator.clearLog();
    const started = await upChanged(created.id, created.properties, { ...DEFINITION, state: "started" });
    expect(started.diff).toEqual({ changes: DIFF_SOME, replaces: [] });
    const afterStart = await plugin.update(created.id, withoutProvider(created.properties), started.inputs);
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(afterStart).toMatchObject({ state: "started", status: "SYNCHRONIZING" });

    emulator.clearLog();
    const paused = await upChanged(created.id, afterStart, { ...DEFINITION, state: "paused" });
    const afterStop = await plugin.update(created.id, withoutProvider(afterStart), paused.inputs);
    expect(ops()).toEqual(["show", "stop", "show"]);
    expect(afterStop).toMatchObject({ state: "paused", status: "STOPPED" });
  });

  it("replaces the task when a definition field changes, deleting the old one first", async () => {
    const created = await up(DEFINITION);
    emulator.clearLog();
    const changed = { ...DEFINITION, dstBucket: "logs-dst-2" };
    const { diff, inputs } = await upChanged(created.id, created.properties, changed);
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: ["dstBucket"], deleteBeforeReplace: true });
    // The engine deletes first, then creates.
    await plugin.delete(created.id, withoutProvider(created.properties));
    const replacement = await plugin.create(inputs);
    createdIds.add(replacement.id);
    expect(ops()).toEqual(["show", "stop", "show", "delete", "list", "create", "show"]);
    expect(emulator.task(PROJECT_ID, created.id)).toBeUndefined();
    expect(emulator.task(PROJECT_ID, replacement.id)?.dstBucket).toBe("logs-dst-2");
  });

  it("adopts an existing task by syncTaskId without a create call, and refuses one that differs", async () => {
    const existing = seedAwsTask(emulator, "logs", { status: "STOPPED", keys: TASK_KEYS, description: "nightly logs" });
    const adopted = await up({ ...DEFINITION, syncTaskId: existing.id });
    expect(adopted.id).toBe(existing.id);
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(adopted.properties).toMatchObject({ status: "SYNCHRONIZING", syncTaskId: existing.id });

    // Refresh returns the definition as inputs: the next preview is clean.
    emulator.clearLog();
    const refreshed = await plugin.read(existing.id, withoutProvider(adopted.properties));
    const { diff } = await upChanged(existing.id, refreshed.properties, { ...DEFINITION, syncTaskId: existing.id });
    expect(diff).toEqual({ changes: DIFF_NONE, replaces: [] });

    emulator.clearLog();
    const { inputs } = await plugin.check(
      {},
      { ...DEFINITION, srcBucket: "other", dstRegion: "cn-east-3", syncTaskId: existing.id },
    );
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain(
      `OMS adopt of sync task ${existing.id} failed: the task's definition differs from the program: srcBucket is "logs-src" in OMS but "other" in the program; dstRegion is "cn-north-4" in OMS but "cn-east-3" in the program`,
    );
    expect(error.initFailed).toBeUndefined();
    expect(ops()).toEqual(["show"]);
  });

  it("refreshes a task paused in the console (state follows) and one deleted there (empty id)", async () => {
    const created = await up(DEFINITION);
    emulator.setStatus(PROJECT_ID, created.id, "STOPPED");
    emulator.clearLog();
    const refreshed = await plugin.read(created.id, withoutProvider(created.properties));
    expect(ops()).toEqual(["show"]);
    expect(refreshed.properties).toMatchObject({ state: "paused", status: "STOPPED" });
    expect(withoutProvider(refreshed.inputs)).toMatchObject(
      plugin.readReturnsInputs ? { ...DEFINITION, state: "paused" } : {},
    );

    emulator.removeTask(PROJECT_ID, created.id);
    expect((await plugin.read(created.id, withoutProvider(created.properties))).id).toBe("");
  });

  it("deletes a running task that answers OMS.0063 twice: stop, wait, then delete retried after a look", async () => {
    const created = await up(DEFINITION);
    emulator.clearLog();
    emulator.inject({
      operation: "delete",
      times: 2,
      fault: { kind: "status", status: 400, body: '{"error_code":"OMS.0063","error_msg":"The task is in progress."}' },
    });
    await plugin.delete(created.id, withoutProvider(created.properties));
    expect(ops()).toEqual(["show", "stop", "show", "delete:400", "show", "delete:400", "show", "delete"]);
    expect(emulator.task(PROJECT_ID, created.id)).toBeUndefined();
  });

  it("deletes a task already gone: one show, nothing else, no error", async () => {
    const created = await up(DEFINITION);
    emulator.removeTask(PROJECT_ID, created.id);
    emulator.clearLog();
    await plugin.delete(created.id, withoutProvider(created.properties));
    expect(ops()).toEqual(["show:404"]);
  });

  it("reports a create whose wait times out with the new id, and the next up does not create a second task", async () => {
    emulator.configure({ transitionDelayMs: 60_000 });
    const { inputs } = await plugin.check({}, { ...DEFINITION, timeoutSeconds: 0.5 });
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toMatch(/OMS wait of sync task .* did not show status SYNCHRONIZING within 0\.5 s/);
    expect(error.initFailed?.id).toMatch(/^[0-9a-f-]{36}$/);
    const id = error.initFailed!.id;
    createdIds.add(id);
    expect(error.initFailed?.properties).toMatchObject({ syncTaskId: id, srcBucket: "logs-src" });
    expect(error.initFailed?.properties.__provider).toBe(providerText);
    expect(ops().filter((o) => o === "create")).toHaveLength(1);

    // The engine recorded the task; the next `up` is an update of it.
    emulator.configure({ transitionDelayMs: 0 });
    emulator.setStatus(PROJECT_ID, id, "SYNCHRONIZING");
    emulator.clearLog();
    const next = await upChanged(id, error.initFailed!.properties, { ...DEFINITION, timeoutSeconds: 5 });
    expect(next.diff.replaces).toEqual([]);
    const updated = await plugin.update(id, withoutProvider(error.initFailed!.properties), next.inputs);
    expect(ops()).toEqual(["show"]);
    expect(updated).toMatchObject({ syncTaskId: id, status: "SYNCHRONIZING" });
  });

  it("says plainly when the account already has 5 tasks", async () => {
    const quotaProject = "quota0000000000000000000000000001";
    const local = await startEmulator();
    try {
      for (let i = 0; i < 5; i += 1) local.seedTask({ projectId: quotaProject });
      const { inputs } = await plugin.check({}, { ...DEFINITION, projectId: quotaProject, endpoint: local.url });
      const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
      expect(error.details).toContain(
        "OMS create failed: the account already has as many sync tasks as OMS allows (5)",
      );
      expect(error.details).toContain(
        "Delete a task you no longer need, or adopt an existing one by passing its id as syncTaskId",
      );
      expect(error.initFailed).toBeUndefined();
    } finally {
      await local.stop();
    }
  });

  it("leaves no key, token or signature in any property bag, error or plugin output", () => {
    for (const s of signaturesIn(emulator.requests.map((r) => r.headers))) sent.add(s);
    expect(sent.size).toBeGreaterThan(10);
    const places = { returned: plugin.returned.join("\n"), stdout: plugin.stdout, stderr: plugin.stderr };
    const hits = Object.entries(places).flatMap(([place, text]) =>
      [...ALL_SECRETS, ...sent].filter((s) => text.includes(s)).map((s) => `${s.slice(0, 8)}… in ${place}`),
    );
    expect(hits).toEqual([]);
    expect(createdIds.size).toBeGreaterThan(5);
  });
});
