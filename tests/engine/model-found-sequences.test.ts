// The bugs the model-based test found, through Pulumi's own dynamic-provider plugin: each shrunk command sequence
// replayed through the model (all eight invariants), and what each fix promises, asserted request by request.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { Commands, runSequence, type LevelSettings } from "../model/model";
import { levelSettings } from "../model/run-model";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, SYNC_TASK_TYPE, TYPE, withoutProvider, type PluginError } from "../support/plugin";
import { ALL_SECRETS, TASK_KEYS } from "../support/secrets";
import { stackConfig } from "../support/stack";

const { DeclareTask, AdoptTask, DeclareState, Flip, RotateConfigKeys, Restart, Arm, Refresh, Destroy } = Commands;
const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
const KMS_SRC = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
const KMS_DST = "7c5e3f10-2b4a-4e8d-9f61-3a2b1c0d9e87";
const DEFINITION = {
  srcCloudType: "AWS",
  srcRegion: "us-east-1",
  srcBucket: "kms-src",
  dstRegion: "cn-north-4",
  dstBucket: "kms-dst",
};
const task = { started: false, kms: false, cdn: false, ownKeys: false, longBucket: false, short: false };

let settings: LevelSettings;
let programDir: string;
let taskProvider: string;
let stateProvider: string;
let emulator: OmsEmulator;
const plugins: ProviderPlugin[] = [];

beforeAll(() => {
  settings = levelSettings("plugin");
  programDir = packedProgram().dir;
  taskProvider = serializeProviderIn(programDir, "SyncTask", DEFINITION);
  stateProvider = serializeProviderIn(programDir);
}, 120_000);

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  for (const p of plugins.splice(0)) p.stop();
  await emulator.stop();
});

/** A new plugin process (as each `pulumi` command starts one), configured with the stack config. */
async function session(type = SYNC_TASK_TYPE, provider = taskProvider, overrides: Record<string, string> = {}) {
  const plugin = await ProviderPlugin.start(programDir, provider, type);
  plugins.push(plugin);
  await plugin.configure(stackConfig(emulator.url, overrides), SECRET_CONFIG);
  return plugin;
}

async function created(plugin: ProviderPlugin, news: Record<string, unknown>) {
  const { inputs, failures } = await plugin.check({}, news);
  expect(failures).toEqual([]);
  return plugin.create(withoutProvider(inputs));
}

const wireOf = (d: typeof DEFINITION) => ({
  src_cloud_type: d.srcCloudType,
  src_region: d.srcRegion,
  src_bucket: d.srcBucket,
  dst_region: d.dstRegion,
  dst_bucket: d.dstBucket,
});
const startBodies = () => emulator.log("start").map((r) => JSON.parse(r.body) as Record<string, unknown>);
const KMS_FIELDS = { src_crypto_type: "KMS", src_kms_key_id: KMS_SRC, dst_crypto_type: "KMS", dst_kms_key_id: KMS_DST };

describe("shrunk sequences, replayed through the plugin against all eight invariants", () => {
  it.each([
    ["adoptTask(a paused KMS task, started)", [new AdoptTask({ pick: 1, started: true, short: false })]],
    ["declareTask(KMS, paused), flip", [new DeclareTask({ ...task, kms: true }), new Flip(0)]],
    [
      "declareState(a paused KMS task, started)",
      [new DeclareState({ pick: 1, started: true, ownKeys: false, short: false })],
    ],
    [
      "declareTask, rotateConfigKeysAndRestart, arm(echo of config srcAk), destroy",
      [
        new DeclareTask(task),
        new RotateConfigKeys(),
        new Arm({ kind: "echo", secret: 0, encoding: "raw", status: 400, json: false }),
        new Destroy(0),
      ],
    ],
    [
      "declareState(own keys), restart, arm(echo of its srcAk in a show), refresh",
      [
        new DeclareState({ pick: 0, started: false, ownKeys: true, short: false }),
        new Restart(),
        new Arm({ kind: "echo", op: "show", secret: 6, encoding: "url", status: 400, json: true }),
        new Refresh(0),
      ],
    ],
    [
      "declareTask(own keys), restart, arm(echo of its srcAk), destroy",
      [
        new DeclareTask({ ...task, ownKeys: true }),
        new Restart(),
        new Arm({ kind: "echo", secret: 6, encoding: "raw", status: 400, json: false }),
        new Destroy(0),
      ],
    ],
    ["declareTask(a 64-character bucket name)", [new DeclareTask({ ...task, longBucket: true })]],
  ])(
    "%s",
    async (_name, commands) => {
      await runSequence(settings, commands);
    },
    60_000,
  );
});

describe("1. every start carries the task's KMS fields", () => {
  it("a KMS SyncTask created paused and started later: the start repeats both crypto types and key ids", async () => {
    const plugin = await session();
    const first = await created(plugin, { ...DEFINITION, srcKmsKeyId: KMS_SRC, dstKmsKeyId: KMS_DST, state: "paused" });
    emulator.clearLog();
    const news = { ...withoutProvider(first.properties), state: "started" };
    const { inputs } = await plugin.check(first.properties, news);
    const outputs = await plugin.update(first.id, withoutProvider(first.properties), withoutProvider(inputs));
    expect(emulator.requests.map((r) => `${r.operation}:${r.outcome}`)).toEqual(["show:200", "start:200", "show:200"]);
    expect(startBodies()[0]).toMatchObject({ ...KMS_FIELDS, src_ak: TASK_KEYS.srcAk, dst_sk: TASK_KEYS.dstSk });
    expect(outputs.status).toBe("SYNCHRONIZING");
  });

  it("the restart after a key rotation carries them too", async () => {
    const plugin = await session();
    const first = await created(plugin, { ...DEFINITION, srcKmsKeyId: KMS_SRC, dstKmsKeyId: KMS_DST });
    const rotated = "srcsk-LEAKCANARY-rotated-0010";
    emulator.rotateKeys(PROJECT_ID, first.id, { ...TASK_KEYS, srcSk: rotated });
    emulator.clearLog();
    const next = await session(SYNC_TASK_TYPE, taskProvider, { "oms:srcSk": rotated });
    const { inputs } = await next.check(first.properties, withoutProvider(first.properties));
    await next.update(first.id, withoutProvider(first.properties), withoutProvider(inputs));
    expect(emulator.requests.map((r) => r.operation)).toEqual(["show", "stop", "show", "start", "show"]);
    expect(startBodies()[0]).toMatchObject({ ...KMS_FIELDS, src_sk: rotated });
  });

  it("a SyncTaskState declares a KMS task's key ids and every start sends them", async () => {
    const seeded = seedPaused(emulator, { kms: { srcKmsKeyId: KMS_SRC, dstKmsKeyId: KMS_DST } });
    const plugin = await session(TYPE, stateProvider);
    const result = await created(plugin, {
      syncTaskId: seeded.id,
      state: "started",
      srcKmsKeyId: KMS_SRC,
      dstKmsKeyId: KMS_DST,
    });
    expect(result.properties).toMatchObject({ status: "SYNCHRONIZING", srcKmsKeyId: KMS_SRC });
    expect(startBodies()[0]).toMatchObject(KMS_FIELDS);
  });

  it("a SyncTaskState of a KMS task without its key ids: OMS's refusal names the field, the task stays paused", async () => {
    const seeded = seedPaused(emulator, { kms: { srcKmsKeyId: KMS_SRC } });
    const plugin = await session(TYPE, stateProvider);
    const { inputs } = await plugin.check({}, { syncTaskId: seeded.id, state: "started" });
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain("OMS.0064");
    expect(error.details).toContain("src_crypto_type does not match the task's encryption");
    expect(emulator.task(PROJECT_ID, seeded.id)?.status).toBe("STOPPED");
  });
});

describe("2. a process whose first call is a refresh or a destroy masks what the server echoes", () => {
  const echo = (secret: string) => ({
    kind: "status" as const,
    status: 400,
    body: JSON.stringify({
      error_code: "OMS.1001",
      error_msg: `raw ${secret} url ${encodeURIComponent(secret)} json ${JSON.stringify(secret).slice(1, -1)}`,
    }),
  });

  const OWN = { ...TASK_KEYS, srcSk: "own-srcsk-LEAKCANARY/+= 0011", dstAk: "own-dstak-LEAKCANARY/+= 0012" };
  it.each([
    ["SyncTaskState", "read", "a configured start key", TASK_KEYS.srcSk, undefined],
    ["SyncTask", "delete", "a configured start key", TASK_KEYS.dstAk, undefined],
    ["SyncTaskState", "read", "the resource's own credentials", OWN.srcSk, OWN],
    ["SyncTask", "delete", "the resource's own credentials", OWN.dstAk, OWN],
  ])(
    "%s %s as a new process's first call, the server echoing %s: masked in every form",
    async (kind, call, _what, secret, credentials) => {
      const seeded = seedPaused(emulator, credentials ? { keys: credentials } : {});
      const stored = {
        ...(kind === "SyncTask" ? DEFINITION : { syncTaskId: seeded.id }),
        state: "paused",
        projectId: PROJECT_ID,
        endpoint: emulator.url,
        timeoutSeconds: 5,
        status: "STOPPED",
        ...(credentials ? { credentials } : {}),
      };
      const plugin = kind === "SyncTask" ? await session() : await session(TYPE, stateProvider);
      emulator.inject({ operation: "show", fault: echo(secret) });
      const error = (await (call === "read" ? plugin.read(seeded.id, stored) : plugin.delete(seeded.id, stored)).catch(
        (e: unknown) => e,
      )) as PluginError;
      expect(error.details).toContain("HTTP 400 OMS.1001 raw *** url *** json ***");
      const everything = [...plugin.returned, plugin.stdout, plugin.stderr].join("\n");
      const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
      expect(forms.filter((f) => everything.includes(f))).toEqual([]);
      expect(ALL_SECRETS.filter((s) => everything.includes(s))).toEqual([]);
    },
  );
});

describe("3. a create refused for a reason that only sounds like the quota", () => {
  it("a bucket name over OMS's limit: OMS's own code, message and a hint about the definition, not the quota", async () => {
    const plugin = await session();
    const { inputs } = await plugin.check({}, { ...DEFINITION, dstBucket: "b".repeat(64) });
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain(
      "HTTP 400 OMS.0064 Invalid request parameters: dst_bucket exceeds the maximum length of 63 characters",
    );
    expect(error.details).toContain("OMS rejected a field of the task definition");
    expect(error.details).not.toContain("as many sync tasks");
    expect(emulator.requests.map((r) => r.operation)).toEqual(["list", "create", "list"]);
  });

  it("five tasks in the project: the quota, with the count and the ids", async () => {
    const ids = Array.from({ length: 5 }, () => seedPaused(emulator).id);
    const plugin = await session();
    const { inputs } = await plugin.check({}, DEFINITION);
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain("the account already has as many sync tasks as OMS allows (5); this project has 5");
    for (const id of ids) expect(error.details).toContain(id);
  });

  it("the account's quota filled from another project: OMS's message, and a hint that other projects count", async () => {
    seedPaused(emulator);
    for (let i = 0; i < 4; i += 1) emulator.seedTask({ projectId: "another-project", status: "STOPPED" });
    const plugin = await session();
    const { inputs } = await plugin.check({}, DEFINITION);
    const error = (await plugin.create(withoutProvider(inputs)).catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain("the number of sync tasks has reached the upper limit (5)");
    expect(error.details).toContain("this project has 1 sync task; tasks in the account's other projects count too");
    expect(error.details).not.toContain("as many sync tasks as OMS allows");
  });
});

describe("4. smaller fixes", () => {
  it("a 404 whose body is JSON without error_code is told as such, with the endpoint hint", async () => {
    const seeded = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "status", status: 404, body: '{"message":"no route"}' } });
    const plugin = await session(TYPE, stateProvider);
    const error = (await plugin
      .read(seeded.id, { syncTaskId: seeded.id, projectId: PROJECT_ID, endpoint: emulator.url })
      .catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain("HTTP 404 with a JSON body that has no error_code");
    expect(error.details).not.toContain("non-JSON");
    expect(error.details).toContain("may not be OMS");
  });

  it("a show answer still carrying enable_kms (removed by OMS in 2026-05) refreshes cleanly and is not read", async () => {
    const plugin = await session();
    const first = await created(plugin, DEFINITION);
    const shown = { sync_task_id: first.id, status: "SYNCHRONIZING", enable_kms: true, ...wireOf(DEFINITION) };
    emulator.inject({ operation: "show", fault: { kind: "status", status: 200, body: JSON.stringify(shown) } });
    const read = await plugin.read(first.id, first.properties);
    expect(read.id).toBe(first.id);
    expect(JSON.stringify([read.properties, read.inputs])).not.toMatch(/enableKms|enable_kms/);
    expect(read.properties).toMatchObject({ status: "SYNCHRONIZING", srcBucket: DEFINITION.srcBucket });
  });

  it("check with 100,000 unknown keys answers 21 failures: the first 20 by name and one that counts the rest", async () => {
    const plugin = await session();
    const news: Record<string, unknown> = { ...DEFINITION };
    for (let i = 0; i < 100_000; i += 1) news[`extra${i}`] = i;
    const { failures } = await plugin.check({}, news);
    expect(failures).toHaveLength(21);
    expect(failures[0]).toEqual({
      property: "extra0",
      reason: expect.stringContaining("extra0 is not an input of SyncTask"),
    });
    expect(failures[20].reason).toMatch(/^and 99980 more keys that are not inputs of SyncTask/);
  });

  it.each([
    ["35 characters is refused", KMS_SRC.slice(1), false],
    ["37 characters is refused", KMS_SRC + "0", false],
    ["36 characters is taken", KMS_SRC, true],
  ])("a KMS key id of %s", async (_what, id, accepted) => {
    const plugin = await session();
    const { failures } = await plugin.check({}, { ...DEFINITION, srcKmsKeyId: id });
    expect(failures).toEqual(
      accepted
        ? []
        : [
            {
              property: "srcKmsKeyId",
              reason: expect.stringContaining("srcKmsKeyId must be a KMS key id (36 characters"),
            },
          ],
    );
  });
});
