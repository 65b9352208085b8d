// The plugin's own calls as the engine makes them: plugin info, schema, the provider's config (secrets, unknowns,
// the older variables map, missing keys, the HW_* fallbacks), the function, and Cancel.
import * as fs from "fs";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { UNKNOWN } from "../../provider/core/values";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { API_KEY, TASK_KEYS } from "../support/secrets";
import { stackConfig } from "../support/stack";
import {
  cancelDuring,
  DIFF,
  failureOf,
  NativePlugin,
  plain,
  secret,
  secretKeysOf,
  SYNC_TASK_STATE,
} from "./support/native-plugin";
import { configArgs, ops, SignatureLog, pluginPerFile } from "./support/stack";

const REPO = path.join(__dirname, "..", "..");
const STARTED = (id: string) => ({ syncTaskId: id, state: "started" });

let emulator: OmsEmulator;
let plugin: NativePlugin;
const signatures = new SignatureLog();

pluginPerFile((started, own) => ([emulator, plugin] = [started, own]));

beforeEach(() => {
  signatures.note(emulator);
  emulator.clearLog();
});

describe("the plugin's own calls", () => {
  it("prints only its port on stdout and reports the package's version", async () => {
    expect(plugin.stdout).toMatch(/^\d+\n$/);
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    expect(await plugin.pluginInfo()).toBe(version);
  });

  it("serves the committed schema.json", async () => {
    const committed = JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8"));
    expect(JSON.parse(await plugin.schema())).toEqual(committed);
  });

  it("refuses a resource type it does not have, naming the ones it has", async () => {
    const error = await failureOf(plugin.check("oms:index:Bucket", {}, {}));
    expect(error?.details).toBe(
      'the oms plugin has no resource type "oms:index:Bucket"; it has oms:index:SyncTask, oms:index:SyncTaskState, oms:index:SyncEvent',
    );
  });
});

describe("the provider's config", () => {
  it("CheckConfig names the `pulumi config set --secret` line for a bad key, quotes no value, and keeps keys secret", async () => {
    const { inputs, failures } = await plugin.checkConfig({
      accessKey: API_KEY.accessKey,
      secretKey: ` ${API_KEY.secretKey} `,
      srcAk: "",
      srcSk: UNKNOWN,
      region: "cn-north-4",
      version: "0.1.0",
    });
    expect(failures).toEqual([
      {
        property: "secretKey",
        reason:
          "config oms:secretKey has leading or trailing whitespace; fix it with `pulumi config set --secret oms:secretKey <value>`",
      },
      {
        property: "srcAk",
        reason:
          "config oms:srcAk is empty or only whitespace; fix it with `pulumi config set --secret oms:srcAk <value>`",
      },
    ]);
    expect(secretKeysOf(inputs).sort()).toEqual(["accessKey", "secretKey", "srcAk", "srcSk"]);
    expect(plain(inputs)).toEqual({
      accessKey: API_KEY.accessKey,
      secretKey: ` ${API_KEY.secretKey} `,
      srcAk: "",
      srcSk: UNKNOWN,
      region: "cn-north-4",
      version: "0.1.0",
    });
  });

  it("DiffConfig updates the provider for a changed or unknown setting and never replaces it", async () => {
    const olds = { srcSk: TASK_KEYS.srcSk, region: "cn-north-4", version: "0.1.0" };
    expect(await plugin.diffConfig(olds, { ...olds })).toEqual({
      changes: DIFF.DIFF_NONE,
      replaces: [],
      deleteBeforeReplace: false,
      detailed: {},
    });
    expect(await plugin.diffConfig(olds, { ...olds, srcSk: "rotated", projectId: UNKNOWN })).toEqual({
      changes: DIFF.DIFF_SOME,
      replaces: [],
      deleteBeforeReplace: false,
      detailed: { srcSk: "UPDATE", projectId: "ADD" },
    });
  });

  it("Configure accepts secrets and previews, and its settings reach the lifecycles", async () => {
    expect(await plugin.configure(configArgs(emulator.url))).toEqual({ acceptSecrets: true, supportsPreview: true });
    const task = seedPaused(emulator);
    const { failures } = await plugin.check(SYNC_TASK_STATE, {}, STARTED(task.id));
    expect(failures).toEqual([]);
    const created = await plugin.create(
      SYNC_TASK_STATE,
      (await plugin.check(SYNC_TASK_STATE, {}, STARTED(task.id))).inputs,
    );
    expect(ops(emulator)).toEqual(["show", "start", "show"]);
    expect(JSON.parse(emulator.log("start")[0].body)).toMatchObject({
      src_ak: TASK_KEYS.srcAk,
      dst_sk: TASK_KEYS.dstSk,
    });
    expect(plain(created.properties)).toMatchObject({
      projectId: PROJECT_ID,
      endpoint: emulator.url,
      status: "SYNCHRONIZING",
    });
  });

  it("reads the older variables map, spelled oms:config:<key> or oms:<key>, when args are empty", async () => {
    const config = stackConfig(emulator.url);
    const variables = Object.fromEntries(
      Object.entries(config).map(([key, value], i) => [i % 2 ? key.replace(/^oms:/, "oms:config:") : key, value]),
    );
    await plugin.configure({}, variables);
    const task = seedPaused(emulator);
    const { inputs, failures } = await plugin.check(SYNC_TASK_STATE, {}, STARTED(task.id));
    expect(failures).toEqual([]);
    expect(plain(inputs)).toMatchObject({ projectId: PROJECT_ID, region: "cn-north-4", endpoint: emulator.url });
    await plugin.configure(configArgs(emulator.url));
  });

  it("previews with a setting still unknown: checks pass, the create is a preview, and nothing is sent", async () => {
    await plugin.configure({ ...configArgs(emulator.url), srcSk: secret(UNKNOWN), projectId: UNKNOWN });
    const { inputs, failures } = await plugin.check(SYNC_TASK_STATE, {}, STARTED("preview-task"));
    expect(failures).toEqual([]);
    expect(plain(inputs).projectId).toBe(UNKNOWN);
    const preview = await plugin.create(SYNC_TASK_STATE, inputs, true);
    expect(preview.id).toBe("");
    expect(plain(preview.properties)).toMatchObject({
      syncTaskId: "preview-task",
      status: UNKNOWN,
      startKeysDigest: UNKNOWN,
    });
    expect(secretKeysOf(preview.properties)).toEqual(["startKeysDigest"]);
    expect(emulator.requests).toHaveLength(0);
    await plugin.configure(configArgs(emulator.url));
  });

  it("names the `pulumi config set --secret` line of a missing start key and of missing API authentication", async () => {
    await plugin.configure(configArgs(emulator.url, { "oms:srcAk": undefined }));
    const missingKey = await plugin.check(SYNC_TASK_STATE, {}, STARTED("t-1"));
    expect(missingKey.failures).toEqual([
      {
        property: "credentials",
        reason:
          "the source access key for starting the task is missing; set it with `pulumi config set --secret oms:srcAk <value>` or pass credentials.srcAk",
      },
    ]);

    await plugin.configure(configArgs(emulator.url, { "oms:accessKey": undefined, "oms:secretKey": undefined }));
    const noAuth = await plugin.check(SYNC_TASK_STATE, {}, STARTED("t-1"));
    expect(noAuth.failures.map((f) => f.property)).toEqual(["oms:accessKey"]);
    expect(noAuth.failures[0].reason).toContain("set `pulumi config set --secret oms:accessKey <AK>`");
    // A destroy runs no check first: the delete itself says what to set.
    const error = await failureOf(
      plugin.delete("oms:index:SyncTask", "t-1", { projectId: PROJECT_ID, state: "paused" }),
    );
    expect(error?.details).toContain("`pulumi config set --secret oms:accessKey <AK>`");
    expect(emulator.requests).toHaveLength(0);
    await plugin.configure(configArgs(emulator.url));
  });

  it("falls back to HW_* variables for API authentication when the config sets none", async () => {
    const fromEnv = await NativePlugin.start({ HW_ACCESS_KEY: API_KEY.accessKey, HW_SECRET_KEY: API_KEY.secretKey });
    try {
      await fromEnv.configure(configArgs(emulator.url, { "oms:accessKey": undefined, "oms:secretKey": undefined }));
      const task = seedPaused(emulator);
      const { result } = await fromEnv.invoke("oms:index:getSyncTask", { syncTaskId: task.id });
      expect(result).toMatchObject({ syncTaskId: task.id, status: "STOPPED" });
      expect(emulator.requests[0].headers.authorization).toContain(`Access=${API_KEY.accessKey}`);
      signatures.note(emulator);
      expect(signatures.leaksIn(fromEnv)).toEqual([]);
    } finally {
      fromEnv.stop();
    }
  });
});

describe("the function oms:index:getSyncTask", () => {
  it("reads a task by id with one show and returns its definition, status and counters", async () => {
    const task = seedPaused(emulator, {
      srcBucket: "b-src",
      dstBucket: "b-dst",
      definition: { src_cloud_type: "AWS" },
    });
    const { result, failures } = await plugin.invoke("oms:index:getSyncTask", { syncTaskId: task.id });
    expect(failures).toEqual([]);
    expect(ops(emulator)).toEqual(["show"]);
    expect(result).toMatchObject({
      syncTaskId: task.id,
      state: "paused",
      status: "STOPPED",
      projectId: PROJECT_ID,
      srcCloudType: "AWS",
      srcBucket: "b-src",
      dstBucket: "b-dst",
    });
    expect(Object.keys(result)).not.toContain("startKeysDigest");
  });

  it("answers a bad id or an unknown argument with failures and sends nothing; a task OMS lacks with one failure", async () => {
    const bad = await plugin.invoke("oms:index:getSyncTask", { syncTaskId: "a/b", state: "started" });
    expect(bad.failures.map((f) => f.property)).toEqual(["syncTaskId", "state"]);
    expect(emulator.requests).toHaveLength(0);
    const gone = await plugin.invoke("oms:index:getSyncTask", { syncTaskId: "no-such-task" });
    expect(gone.failures).toEqual([
      {
        property: "syncTaskId",
        reason:
          "OMS shows no sync task no-such-task in this project and region; check syncTaskId, projectId and region",
      },
    ]);
    const other = await failureOf(plugin.invoke("oms:index:getBucket", {}));
    expect(other?.details).toBe(
      'the oms plugin has no function "oms:index:getBucket"; it has oms:index:getSyncTask, oms:index:getSyncTasks, oms:index:getSyncTaskStatistics',
    );
  });
});

describe("Cancel", () => {
  it("ends a wait in flight at once: the create fails as a recorded partial start, and later calls are refused unsent", async () => {
    const cancelled = await NativePlugin.start();
    try {
      await cancelled.configure(configArgs(emulator.url));
      // OMS takes a minute to show the start; the resource would wait for it (timeoutSeconds 600).
      emulator.configure({ transitionDelayMs: 60_000 });
      const task = seedPaused(emulator);
      const { inputs } = await cancelled.check(SYNC_TASK_STATE, {}, { ...STARTED(task.id), timeoutSeconds: 600 });
      const { error, msAfterCancel } = await cancelDuring(
        cancelled,
        cancelled.create(SYNC_TASK_STATE, inputs),
        () => emulator.log("show").length >= 2,
      );
      // Well under the minute OMS takes: the wait ended at the cancel, not at a poll or the timeout.
      expect(msAfterCancel).toBeLessThan(5_000);
      expect(error?.details).toMatch(
        /the engine cancelled the operation before OMS showed status SYNCHRONIZING \(last status seen: STOPPED\)/,
      );
      expect(error?.details).toContain("Run `pulumi up` again to keep waiting");
      expect(error?.details).toContain("Recorded in state: a start was sent");
      expect(error?.initFailed?.id).toBe(task.id);
      expect(plain(error!.initFailed!.properties)).toMatchObject({ syncTaskId: task.id, state: "started" });
      expect(emulator.log("start")).toHaveLength(1);

      emulator.clearLog();
      const refused = await failureOf(cancelled.read(SYNC_TASK_STATE, task.id, { syncTaskId: task.id }));
      expect(refused?.details).toBe("the oms plugin was cancelled: the engine is shutting down");
      expect(emulator.requests).toHaveLength(0);
      signatures.note(emulator);
      expect(signatures.leaksIn(cancelled)).toEqual([]);
    } finally {
      emulator.configure({ transitionDelayMs: 0 });
      cancelled.stop();
    }
  });
});

it("leaves no key, token or signature in any response, error or plugin output", () => {
  signatures.note(emulator);
  expect(signatures.size).toBeGreaterThan(3);
  expect(signatures.leaksIn(plugin)).toEqual([]);
  expect(plugin.stderr).toBe("");
});
