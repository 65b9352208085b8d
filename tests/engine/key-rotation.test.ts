// Key rotation reaching OMS, read and get with config defaults: through Pulumi's own dynamic-provider plugin, with
// each `pulumi up` of a changed stack config played as a new plugin session (the engine starts one per deployment).
import * as pulumi from "@pulumi/pulumi";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, SYNC_TASK_TYPE, TYPE, withoutProvider } from "../support/plugin";
import { ALL_SECRETS, TASK_KEYS, signaturesIn } from "../support/secrets";
import { stackConfig } from "../support/stack";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
const DIFF_SOME = 2;
const NEW_SRC_SK = "srcsk-LEAKCANARY-rotated-0009";
const ROTATED = { ...TASK_KEYS, srcSk: NEW_SRC_SK };

let emulator: OmsEmulator;
let programDir: string;
let stateProvider: string;
let taskProvider: string;
const plugins: ProviderPlugin[] = [];
const sent = new Set<string>();
const ops = () => emulator.requests.map((r) => r.operation);

beforeAll(async () => {
  programDir = packedProgram().dir;
  stateProvider = serializeProviderIn(programDir);
  taskProvider = serializeProviderIn(programDir, "SyncTask", {
    srcRegion: "r",
    srcBucket: "a",
    dstRegion: "r",
    dstBucket: "b",
  });
  // Seeded tasks count toward the 5-task quota; this file seeds more than that.
  emulator = await startEmulator({ maxTasksPerAccount: 100 });
}, 120_000);

afterAll(async () => {
  for (const p of plugins) p.stop();
  await emulator?.stop();
});

beforeEach(() => {
  for (const s of signaturesIn(emulator.requests.map((r) => r.headers))) sent.add(s);
  emulator.clearLog();
});

/** A plugin session with this stack config, as one `pulumi up` gets. */
async function session(overrides: Record<string, string> = {}, type = TYPE, provider = stateProvider) {
  const plugin = await ProviderPlugin.start(programDir, provider, type);
  plugins.push(plugin);
  await plugin.configure(stackConfig(emulator.url, overrides), SECRET_CONFIG);
  return plugin;
}

async function upNew(plugin: ProviderPlugin, news: Record<string, unknown>) {
  const { inputs, failures } = await plugin.check({}, news);
  expect(failures).toEqual([]);
  return plugin.create(withoutProvider(inputs));
}

async function upChanged(
  plugin: ProviderPlugin,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) {
  const { inputs, failures } = await plugin.check(olds, news);
  expect(failures).toEqual([]);
  const diff = await plugin.diff(id, withoutProvider(olds), withoutProvider(inputs));
  if (diff.changes !== DIFF_SOME) return { diff, outputs: olds };
  return { diff, outputs: await plugin.update(id, withoutProvider(olds), withoutProvider(inputs)) };
}

describe("rotating the start keys", () => {
  it("in stack config: preview shows an update, up stops, waits, starts with the new keys and waits", async () => {
    const task = seedPaused(emulator);
    const program = { syncTaskId: task.id, state: "started" };
    const first = await upNew(await session(), program);
    const digest = first.properties.startKeysDigest;
    expect(digest).toMatch(/^hmac-sha256:/);

    // The bucket owner rotates the source secret key; the stack config follows.
    emulator.rotateKeys(PROJECT_ID, task.id, ROTATED);
    emulator.clearLog();
    const next = await session({ "oms:srcSk": NEW_SRC_SK });
    const { diff, outputs } = await upChanged(next, task.id, first.properties, program);
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: [] });
    expect(ops()).toEqual(["show", "stop", "show", "start", "show"]);
    expect(JSON.parse(emulator.log("start")[0].body)).toMatchObject({ src_sk: NEW_SRC_SK });
    expect(emulator.task(PROJECT_ID, task.id)?.runningKeys?.srcSk).toBe(NEW_SRC_SK);
    expect(outputs).toMatchObject({ status: "SYNCHRONIZING", state: "started" });
    expect(outputs.startKeysDigest).toMatch(/^hmac-sha256:/);
    expect(outputs.startKeysDigest).not.toBe(digest);

    // The next up with the same config: no change, no call.
    emulator.clearLog();
    const again = await upChanged(next, task.id, outputs, program);
    expect(again.diff.changes).toBe(1);
    expect(emulator.requests).toHaveLength(0);
  });

  it("to a key OMS refuses: the task stays paused, the error says why, and the next up starts it once fixed", async () => {
    const task = seedPaused(emulator);
    const program = { syncTaskId: task.id, state: "started" };
    const first = await upNew(await session(), program);
    emulator.clearLog();
    const wrong = await session({ "oms:srcSk": NEW_SRC_SK }); // the bucket owner has not rotated yet
    const { inputs } = await wrong.check(first.properties, program);
    const error = (await wrong
      .update(task.id, withoutProvider(first.properties), withoutProvider(inputs))
      .catch((e: unknown) => e)) as { details: string };
    expect(error.details).toContain("HTTP 400 OMS.1014");
    expect(emulator.requests.map((r) => `${r.operation}:${r.outcome}`)).toEqual([
      "show:200",
      "stop:200",
      "show:200",
      "start:400",
    ]);
    expect(emulator.task(PROJECT_ID, task.id)?.status).toBe("STOPPED");

    // The owner rotates; the same config now works: the recorded digest is still the old one, so up restarts it.
    emulator.rotateKeys(PROJECT_ID, task.id, ROTATED);
    emulator.clearLog();
    await upChanged(wrong, task.id, first.properties, program);
    expect(ops()).toEqual(["show", "start", "show"]);
  });

  it("on a task OMS already shows STOPPED while it should run: just one start with the new keys", async () => {
    const task = seedPaused(emulator);
    const program = { syncTaskId: task.id, state: "started" };
    const first = await upNew(await session(), program);
    emulator.setStatus(PROJECT_ID, task.id, "STOPPED");
    emulator.rotateKeys(PROJECT_ID, task.id, ROTATED);
    emulator.clearLog();
    const next = await session({ "oms:srcSk": NEW_SRC_SK });
    await upChanged(next, task.id, first.properties, program);
    expect(ops()).toEqual(["show", "start", "show"]);
  });

  it("through the credentials input: the same restart", async () => {
    const plugin = await session();
    const task = seedPaused(emulator);
    const first = await upNew(plugin, { syncTaskId: task.id, state: "started", credentials: TASK_KEYS });
    emulator.rotateKeys(PROJECT_ID, task.id, ROTATED);
    emulator.clearLog();
    const { diff } = await upChanged(plugin, task.id, first.properties, {
      syncTaskId: task.id,
      state: "started",
      credentials: ROTATED,
    });
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: [] });
    expect(ops()).toEqual(["show", "stop", "show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, task.id)?.runningKeys?.srcSk).toBe(NEW_SRC_SK);
  });

  it("on a paused task: the new digest is recorded with no API call; the next start sends the new keys", async () => {
    const task = seedPaused(emulator);
    const program = { syncTaskId: task.id, state: "paused" };
    const first = await upNew(await session(), program);
    emulator.rotateKeys(PROJECT_ID, task.id, ROTATED);
    emulator.clearLog();
    const next = await session({ "oms:srcSk": NEW_SRC_SK });
    const { diff, outputs } = await upChanged(next, task.id, first.properties, program);
    expect(diff.changes).toBe(DIFF_SOME);
    expect(emulator.requests).toHaveLength(0);
    expect(outputs.startKeysDigest).not.toBe(first.properties.startKeysDigest);

    const started = await upChanged(next, task.id, outputs, { ...program, state: "started" });
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(JSON.parse(emulator.log("start")[0].body)).toMatchObject({ src_sk: NEW_SRC_SK });
    expect(started.outputs.startKeysDigest).toBe(outputs.startKeysDigest);
  });

  it("of a SyncTask through its credentials: stop, start with the new keys", async () => {
    const plugin = await session({}, SYNC_TASK_TYPE, taskProvider);
    const definition = {
      srcCloudType: "HuaweiCloud",
      srcRegion: "cn-east-3",
      srcBucket: "x",
      dstRegion: "cn-north-4",
      dstBucket: "y",
    };
    const first = await upNew(plugin, { ...definition, credentials: TASK_KEYS });
    emulator.rotateKeys(PROJECT_ID, first.id, ROTATED);
    emulator.clearLog();
    const { diff } = await upChanged(plugin, first.id, first.properties, { ...definition, credentials: ROTATED });
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: [] });
    expect(ops()).toEqual(["show", "stop", "show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, first.id)?.runningKeys?.srcSk).toBe(NEW_SRC_SK);
  });

  it("on state from before digests: the first up records one and makes no call", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const plugin = await session();
    const old = {
      syncTaskId: task.id,
      state: "started",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
      timeoutSeconds: 300,
      status: "SYNCHRONIZING",
    };
    const { outputs } = await upChanged(plugin, task.id, old, { syncTaskId: task.id, state: "started" });
    expect(emulator.requests).toHaveLength(0);
    expect(outputs.startKeysDigest).toMatch(/^hmac-sha256:/);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(0);
  });
});

describe("read and get", () => {
  it("read with empty stored properties reaches oms:endpoint with oms:projectId from config", async () => {
    const task = seedPaused(emulator);
    const plugin = await session();
    const result = await plugin.read(task.id, {});
    expect(ops()).toEqual(["show"]);
    expect(emulator.requests[0].projectId).toBe(PROJECT_ID);
    expect(result).toMatchObject({
      id: task.id,
      properties: { status: "STOPPED", state: "paused", endpoint: emulator.url },
    });
  });

  it("SyncTaskState.get reads a task's status under setMocks, the read handed to the plugin", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const plugin = await session();
    pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          const read = await plugin.read(args.id!, {}, args.inputs as Record<string, unknown>);
          return { id: read.id, state: read.properties };
        },
        call: (args) => args.inputs,
      },
      "examples",
      "dev",
      false,
    );
    const { SyncTaskState } = await import("../../provider");
    const looked = SyncTaskState.get("existing", task.id);
    const status = await new Promise((resolve) => looked.status.apply(resolve));
    expect(status).toBe("SYNCHRONIZING");
    expect(ops()).toEqual(["show"]);
  });

  it("registers startKeysDigest and credentials as additional secret outputs of both resources", async () => {
    const captured: string[][] = [];
    pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: "x", state: args.inputs }), call: (args) => args.inputs },
      "examples",
      "dev",
      false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource: (req: { getAdditionalsecretoutputsList(): string[] }, cb: unknown) => void;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      captured.push(req.getAdditionalsecretoutputsList());
      original(req, cb);
    };
    const { SyncTaskState, SyncTask } = await import("../../provider");
    const a = new SyncTaskState("a", { syncTaskId: "t", state: "paused" });
    const b = new SyncTask("b", { srcRegion: "r", srcBucket: "a", dstRegion: "r", dstBucket: "b" });
    await new Promise((resolve) => a.id.apply(() => b.id.apply(resolve)));
    expect(captured).toEqual([
      ["credentials", "startKeysDigest"],
      ["credentials", "startKeysDigest"],
    ]);
  });

  it("leaves no key (old or rotated), token or signature in any property bag, error or plugin output", () => {
    for (const s of signaturesIn(emulator.requests.map((r) => r.headers))) sent.add(s);
    const secrets = [...ALL_SECRETS, NEW_SRC_SK, ...sent];
    // `credentials` is the one field that holds keys by design: the engine stores it as a secret (its input was one).
    const withoutCredentials = (text: string) => {
      try {
        return JSON.stringify(JSON.parse(text), (key, value: unknown) => (key === "credentials" ? undefined : value));
      } catch {
        return text;
      }
    };
    const hits = plugins.flatMap((p, i) =>
      Object.entries({
        returned: p.returned.map(withoutCredentials).join("\n"),
        stdout: p.stdout,
        stderr: p.stderr,
      }).flatMap(([place, text]) =>
        secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 8)}… in plugin ${i} ${place}`),
      ),
    );
    expect(hits).toEqual([]);
    expect(plugins.length).toBeGreaterThan(5);
  });
});
