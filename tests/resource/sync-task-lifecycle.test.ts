// SyncTask's lifecycle in process against the emulator: checks of the definition, and the create paths a plugin
// test cannot stage cheaply (a lost create answer, a refused create, missing keys).
import * as pulumi from "@pulumi/pulumi";
import { OmsError, SyncTask, taskLifecycle } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { clientFor as omsClientFor, PROJECT_ID } from "../support/fixture";
import { TASK_KEYS, everythingIn, leaksIn } from "../support/secrets";
import { checkedInputs, emulatorPerTest, useStack as useStackOf } from "../support/in-process";

const DEFINITION = {
  srcCloudType: "HuaweiCloud",
  srcRegion: "cn-east-3",
  srcBucket: "a",
  dstRegion: "cn-north-4",
  dstBucket: "b",
};
let emulator: OmsEmulator;
const trail = () => emulator.requests.map((r) => `${r.operation}:${r.outcome}`);

const useStack = (overrides: Record<string, string | undefined> = {}) => useStackOf(emulator.url, overrides);

emulatorPerTest((started) => (emulator = started));

async function failuresOf(news: Record<string, unknown>) {
  return (await taskLifecycle.check({}, news)).failures ?? [];
}

const inputsFor = (news: Record<string, unknown>) => checkedInputs(taskLifecycle, news);

describe("SyncTask check", () => {
  it("fills state started, the connection from config and timeoutSeconds 300", async () => {
    expect(await taskLifecycle.check({}, DEFINITION)).toEqual({
      inputs: {
        ...DEFINITION,
        state: "started",
        projectId: PROJECT_ID,
        region: "cn-north-4",
        endpoint: emulator.url,
        timeoutSeconds: 300,
      },
    });
  });

  it.each([
    [{ srcBucket: undefined }, "srcBucket", "srcBucket is required"],
    [{ srcCloudType: "Dropbox" }, "srcCloudType", "srcCloudType must be one of AWS, Azure, Aliyun"],
    [{ description: "a <b>" }, "description", `must be at most 255 characters, none of < > ( ) " ' &`],
    [{ dstStoragePolicy: "COLD" }, "dstStoragePolicy", "must be one of STANDARD, IA"],
    [{ consistencyCheck: "md5" }, "consistencyCheck", "must be one of size_last_modified, crc64, transmission"],
    [{ enableRestore: "yes" }, "enableRestore", "must be true or false"],
    [{ srcCloudType: "Tencent" }, "appId", "appId (the Tencent APPID) is required when srcCloudType is Tencent"],
    [
      { sourceCdn: { domain: "cdn.example.com", protocol: "ftp", authenticationType: "NONE" } },
      "sourceCdn",
      'protocol must be "http" or "https"',
    ],
    [
      { sourceCdn: { domain: "d", protocol: "https", authenticationType: "NONE", authenticationKey: "k" } },
      "sourceCdn",
      "credentials.sourceCdnAuthenticationKey",
    ],
    [{ srcKmsKeyId: "not a key" }, "srcKmsKeyId", "must be a KMS key id"],
    [{ dstBucket: "has space" }, "dstBucket", "without whitespace"],
    [{ state: "running" }, "state", 'state must be "started" or "paused"'],
    [{ syncTaskId: ".." }, "syncTaskId", "syncTaskId cannot be . or .."],
    [{ bucket: "x" }, "bucket", "bucket is not an input of SyncTask"],
  ])("fails %j on %s naming the fix", async (change, property, reason) => {
    const failures = await failuresOf({ ...DEFINITION, ...change });
    expect(failures).toEqual([{ property, reason: expect.stringContaining(reason) }]);
  });

  it("needs the start keys to create a task even when it is to stay paused, but not to adopt a paused one", async () => {
    useStack({ "oms:srcSk": undefined });
    expect(await failuresOf({ ...DEFINITION, state: "paused" })).toEqual([
      { property: "credentials", reason: expect.stringContaining("oms:srcSk") },
    ]);
    expect(await failuresOf({ ...DEFINITION, state: "paused", syncTaskId: "t-1" })).toEqual([]);
  });

  it("asks for the CDN key when the CDN source uses authentication", async () => {
    const failures = await failuresOf({
      ...DEFINITION,
      sourceCdn: { domain: "cdn.example.com", protocol: "https", authenticationType: "ALIYUN_OSS_A" },
    });
    expect(failures).toEqual([
      { property: "credentials", reason: expect.stringContaining("oms:sourceCdnAuthenticationKey") },
    ]);
  });
});

describe("SyncTask create", () => {
  it("sends every definition field and the keys in the create body, KMS ids with crypto type KMS", async () => {
    const kms = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
    const inputs = await inputsFor({
      ...DEFINITION,
      description: "d",
      enableMetadataMigration: true,
      dstStoragePolicy: "IA",
      consistencyCheck: "crc64",
      dstKmsKeyId: kms,
    });
    await taskLifecycle.create(inputs);
    expect(JSON.parse(emulator.log("create")[0].body)).toEqual({
      src_cloud_type: "HuaweiCloud",
      src_region: "cn-east-3",
      src_bucket: "a",
      src_ak: TASK_KEYS.srcAk,
      src_sk: TASK_KEYS.srcSk,
      dst_ak: TASK_KEYS.dstAk,
      dst_sk: TASK_KEYS.dstSk,
      dst_crypto_type: "KMS",
      dst_kms_key_id: kms,
      dst_region: "cn-north-4",
      dst_bucket: "b",
      description: "d",
      enable_metadata_migration: true,
      dst_storage_policy: "IA",
      consistency_check: "crc64",
    });
  });

  it("finds the task when the create answer is lost, instead of creating a second one", async () => {
    emulator.inject({ operation: "create", fault: { kind: "apply-then-reset" } });
    const result = await taskLifecycle.create(await inputsFor(DEFINITION));
    expect(trail()).toEqual(["list:200", "create:reset", "list:200", "show:200"]);
    expect(emulator.task(PROJECT_ID, result.id)?.srcBucket).toBe("a");
  });

  it("fails a lost create that left no task, saying to check before the next up; nothing secret", async () => {
    emulator.inject({ operation: "create", fault: { kind: "reset" } });
    const error = await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmsError);
    expect((error as OmsError).message).toContain("OMS may or may not have created the task");
    expect(trail()).toEqual(["list:200", "create:reset", "list:200"]);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("refuses to create a second task for a bucket pair that has one (an interrupted up's), naming it and the adopt fix", async () => {
    const definition = { src_region: "cn-east-3", dst_region: "cn-north-4" };
    const left = emulator.seedTask({ projectId: PROJECT_ID, srcBucket: "a", dstBucket: "b", definition });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "CONFIG_ERROR", operation: "create", taskId: left.id });
    expect(error.message).toContain(`OMS already has a sync task from a to b (${left.id}, status STOPPED)`);
    expect(error.message).toContain(`set syncTaskId: "${left.id}" on the resource`);
    expect(trail()).toEqual(["list:200"]);
    expect(emulator.allTasks()).toHaveLength(1);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("names every candidate when a lost create answer leaves several matching tasks; nothing secret", async () => {
    const definition = { src_region: "cn-east-3", dst_region: "cn-north-4" };
    // The pre-create list shows none; the one after the lost answer shows two (made meanwhile, elsewhere).
    const twins = [1, 2].map((n) => ({
      sync_task_id: `0000000${n}-0000-4000-8000-000000000000`,
      status: "STOPPED",
      src_bucket: "a",
      dst_bucket: "b",
      src_region: definition.src_region,
      dst_region: definition.dst_region,
    }));
    emulator.inject({
      operation: "list",
      after: 1,
      fault: { kind: "status", status: 200, body: JSON.stringify({ tasks: twins, count: 2 }) },
    });
    emulator.inject({ operation: "create", fault: { kind: "reset" } });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error).toBeInstanceOf(OmsError);
    expect(error.message).toContain(`2 tasks match the definition (${twins.map((t) => t.sync_task_id).join(", ")})`);
    expect(error.message).toContain("adopt the right one with syncTaskId");
    expect(trail()).toEqual(["list:200", "create:reset", "list:200"]);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  const LIMIT_400 = {
    kind: "status" as const,
    status: 400,
    body: JSON.stringify({ error_code: "OMS.0064", error_msg: "The number of sync tasks exceeds the maximum." }),
  };

  it("a limit-sounding refusal whose task list fails passes OMS's own error through, unchanged; nothing secret", async () => {
    emulator.inject({ operation: "create", fault: LIMIT_400 });
    emulator.inject({
      operation: "list",
      after: 1,
      fault: { kind: "status", status: 400, body: '{"error_code":"OMS.0053"}' },
    });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "OMS_API_ERROR", errorCode: "OMS.0064", operation: "create" });
    expect(error.message).toContain("HTTP 400 OMS.0064 The number of sync tasks exceeds the maximum.");
    expect(error.message).not.toContain("as many sync tasks as OMS allows");
    expect(trail()).toEqual(["list:200", "create:400", "list:400"]);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("reads one page and names at most 10 task ids when a server lists thousands: the quota message stays bounded", async () => {
    const tasks = Array.from({ length: 2_000 }, (_, i) => ({ sync_task_id: `t-${i}`, status: "STOPPED" }));
    emulator.inject({ operation: "create", fault: LIMIT_400 });
    emulator.inject({
      operation: "list",
      after: 1,
      times: 20,
      fault: { kind: "status", status: 200, body: JSON.stringify({ tasks: tasks.slice(0, 100), count: 2_000 }) },
    });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error.message).toContain(
      "this project has at least 100 (t-0, t-1, t-2, t-3, t-4, t-5, t-6, t-7, t-8, t-9 and 90 more)",
    );
    expect(error.message.length).toBeLessThan(1_000);
    expect(trail()).toEqual(["list:200", "create:400", "list:200"]);
  });

  it("a create refused for a bad field keeps the create's hint about the definition, not the task id's", async () => {
    emulator.inject({
      operation: "create",
      fault: {
        kind: "status",
        status: 400,
        body: JSON.stringify({ error_code: "OMS.0064", error_msg: "Invalid request parameters: dst_storage_policy." }),
      },
    });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error.hint).toBe("OMS rejected a field of the task definition; correct the one its message names");
    expect(error.message).toContain("HTTP 400 OMS.0064 Invalid request parameters: dst_storage_policy.");
    expect(trail()).toEqual(["list:200", "create:400"]);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("retries a create throttled with 429: one task", async () => {
    emulator.inject({ operation: "create", fault: { kind: "throttle", retryAfter: "0" } });
    await taskLifecycle.create(await inputsFor(DEFINITION));
    expect(trail()).toEqual(["list:200", "create:429", "create:200", "show:200"]);
  });

  it("never retries a create answered 503: it may have been processed", async () => {
    emulator.inject({ operation: "create", fault: { kind: "status", status: 503 } });
    const error = (await taskLifecycle.create(await inputsFor(DEFINITION)).catch((e: unknown) => e)) as OmsError;
    expect(error.status).toBe(503);
    expect(trail()).toEqual(["list:200", "create:503", "list:200"]);
  });

  it("a paused task whose stop fails after create: the error carries the id and outputs without keys", async () => {
    emulator.inject({
      operation: "stop",
      fault: { kind: "status", status: 400, body: '{"error_code":"OMS.0072","error_msg":"no"}' },
    });
    const inputs = await inputsFor({ ...DEFINITION, state: "paused", credentials: TASK_KEYS });
    const error = (await taskLifecycle
      .create({ ...inputs, __provider: "code" })
      .catch((e: unknown) => e)) as OmsError & {
      id: string;
      properties: Record<string, unknown>;
      reasons: string[];
    };
    expect(error.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.properties).toMatchObject({ syncTaskId: error.id, state: "paused", __provider: "code" });
    expect(error.properties).not.toHaveProperty("credentials");
    expect(error.reasons).toEqual([error.message]);
    expect(leaksIn(JSON.stringify(error.properties))).toEqual([]);
  });
});

describe("SyncTask delete", () => {
  it("a pause that outlasts timeoutSeconds says to run `pulumi destroy` again, not `pulumi up`; nothing secret", async () => {
    const created = await taskLifecycle.create(await inputsFor({ ...DEFINITION, timeoutSeconds: 0.5 }));
    emulator.configure({ transitionDelayMs: 5_000 });
    try {
      const error = (await taskLifecycle
        .remove(created.id, created.outs as Record<string, unknown>)
        .catch((e: unknown) => e)) as OmsError;
      expect(error).toMatchObject({ code: "TIMEOUT", operation: "wait" });
      expect(error.message).toContain("OMS did not show status STOPPED within 0.5 s");
      expect(error.message).toContain(
        "Run `pulumi destroy` again to keep waiting (it sends no second stop once OMS shows STOPPED), or raise timeoutSeconds",
      );
      expect(error.message).not.toContain("pulumi up` again");
      expect(leaksIn(everythingIn(error))).toEqual([]);
    } finally {
      emulator.configure({ transitionDelayMs: 0 });
    }
  });

  it("gives up on OMS.0063 at the deadline with the reason and what to do, and starts the paused task again; nothing secret", async () => {
    const created = await taskLifecycle.create(await inputsFor({ ...DEFINITION, timeoutSeconds: 0.5 }));
    emulator.inject({
      operation: "delete",
      times: 1_000,
      fault: { kind: "status", status: 400, body: '{"error_code":"OMS.0063","error_msg":"The task is in progress."}' },
    });
    emulator.clearLog();
    const error = (await taskLifecycle
      .remove(created.id, created.outs as Record<string, unknown>)
      .catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "OMS_API_ERROR", errorCode: "OMS.0063", operation: "delete" });
    expect(error.message).toContain("OMS still reported it in progress after 0.5 s; run `pulumi destroy` again");
    expect(trail().slice(0, 3)).toEqual(["show:200", "stop:200", "show:200"]);
    expect(trail().filter((t) => t === "delete:400").length).toBeGreaterThan(1);
    expect(error.message).toContain("The delete had paused the task first; it was started again and is synchronizing");
    expect(trail().slice(-2)).toEqual(["start:200", "show:200"]);
    expect(emulator.task(PROJECT_ID, created.id)?.status).toBe("SYNCHRONIZING");
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("a refused delete whose start-again is refused too says how the task was left and what to run; nothing secret", async () => {
    const created = await taskLifecycle.create(await inputsFor({ ...DEFINITION, timeoutSeconds: 0.5 }));
    const refusal = (code: string) => ({
      kind: "status" as const,
      status: 403,
      body: JSON.stringify({ error_code: code, error_msg: "no permission" }),
    });
    emulator.inject({ operation: "delete", fault: refusal("OMS.0053") });
    emulator.inject({ operation: "start", fault: refusal("OMS.0072") });
    emulator.clearLog();
    const error = (await taskLifecycle
      .remove(created.id, created.outs as Record<string, unknown>)
      .catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "OMS_API_ERROR", errorCode: "OMS.0053", operation: "delete" });
    expect(error.message).toContain(
      "The delete had paused the task first; it could not be started (HTTP 403 OMS.0072 no permission), and OMS last showed STOPPED: run `pulumi up --refresh` to start it again, or `pulumi destroy` again to delete it",
    );
    expect(trail()).toEqual(["show:200", "stop:200", "show:200", "delete:403", "show:200", "start:403"]);
    expect(emulator.task(PROJECT_ID, created.id)?.status).toBe("STOPPED");
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("a failed destroy does not start the task again with configured keys when the record left its own keys out", async () => {
    // The resource's own keys differ from the configured ones; a failed operation's record keeps only their digest.
    const own = { ...TASK_KEYS, srcAk: "srcak-LEAKCANARY-own-0201", srcSk: "srcsk-LEAKCANARY-own-0202" };
    const created = await taskLifecycle.create(await inputsFor({ ...DEFINITION, credentials: own }));
    const { credentials: _left, ...recorded } = created.outs as Record<string, unknown>;
    emulator.inject({
      operation: "delete",
      fault: { kind: "status", status: 403, body: '{"error_code":"OMS.0053","error_msg":"no permission"}' },
    });
    emulator.clearLog();
    const error = (await taskLifecycle.remove(created.id, recorded).catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "OMS_API_ERROR", errorCode: "OMS.0053" });
    expect(error.message).toContain(
      "it was not started again, since the keys it was last started with are not in state and the configured ones differ: run `pulumi up`",
    );
    expect(trail()).toEqual(["show:200", "stop:200", "show:200", "delete:403"]);
    expect(leaksIn(everythingIn(error))).toEqual([]);
  });

  it("stops a start still in flight from a timed-out up: shown paused, refused in progress, then shown running", async () => {
    // An up whose start OMS accepted but had not applied when the wait ran out; then destroy.
    const created = await taskLifecycle.create(await inputsFor({ ...DEFINITION, state: "paused", timeoutSeconds: 3 }));
    emulator.configure({ transitionDelayMs: 300 });
    const task = emulator.task(PROJECT_ID, created.id)!;
    await omsClientFor(emulator).startTask(created.id, TASK_KEYS);
    expect(emulator.task(PROJECT_ID, created.id)?.status).toBe("STOPPED");
    emulator.clearLog();
    await taskLifecycle.remove(created.id, created.outs as Record<string, unknown>);
    expect(emulator.task(PROJECT_ID, task.id)).toBeUndefined();
    expect(trail()).toContain("stop:200");
    expect(trail()[trail().length - 1]).toBe("delete:200");
  });
});

describe("SyncTask registration", () => {
  it("registers pulumi-nodejs:dynamic/oms:SyncTask with its inputs, output slots, and credentials as a secret", async () => {
    const registered: Record<string, unknown>[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, ...args.inputs });
          return { id: "id-1", state: { ...args.inputs, status: "SYNCHRONIZING" } };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
    const task = new SyncTask("logs", { ...DEFINITION, credentials: TASK_KEYS });
    expect(await new Promise((resolve) => task.status.apply(resolve))).toBe("SYNCHRONIZING");
    expect(await pulumi.isSecret(task.credentials)).toBe(true);
    expect(registered[0]).toMatchObject({ type: "pulumi-nodejs:dynamic/oms:SyncTask", ...DEFINITION });
    expect(String(registered[0].__provider)).toContain('require("pulumi-oms-sync").taskLifecycle.create');
  });
});
