// Each policy on its own, called as the policy SDK calls it: a passing and a violating case, config and defaults,
// and values a preview does not know yet (plain, and behind a proxy that throws on them as the SDK's does).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  consistencyCheck,
  eventsNeedARunningTask,
  explicitSourceCloud,
  omsPolicies,
  oneManagerPerTask,
  oneTaskPerBucketPair,
  protectTasks,
  requireKms,
  storagePolicy,
  SYNC_EVENT_TYPE,
  SYNC_TASK_STATE_TYPE,
  SYNC_TASK_TYPE,
  taskQuota,
} from "pulumi-oms-sync/policy";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const KMS = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";

/** Props as the SDK hands them: reading an unknown value throws. */
function sdkProxy(props: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(props, {
    get: (target, key) => {
      const value = target[key as string];
      if (value === UNKNOWN) throw new Error(`string value at .${String(key)} can't be known during preview`);
      return value;
    },
  });
}

function resource(type: string, name: string, props: Record<string, unknown>, protect = true): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    props: sdkProxy(props),
    opts: { protect, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}
const task = (name: string, props: Record<string, unknown> = {}, protect = true) =>
  resource(
    SYNC_TASK_TYPE,
    name,
    {
      srcCloudType: "AWS",
      srcRegion: "r",
      srcBucket: `${name}-a`,
      dstRegion: "r",
      dstBucket: `${name}-b`,
      consistencyCheck: "crc64",
      ...props,
    },
    protect,
  );
const state = (name: string, syncTaskId: unknown) =>
  resource(SYNC_TASK_STATE_TYPE, name, { syncTaskId, state: "started" });

const event = (name: string, syncTaskId: unknown) => resource(SYNC_EVENT_TYPE, name, { syncTaskId, objectKeys: ["a"] });

function onResource(
  policy: ResourceValidationPolicy,
  r: PolicyResource,
  config: Record<string, unknown> = {},
): string[] {
  const messages: string[] = [];
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const validate of validations) {
    void validate?.({ ...r, getConfig: () => config } as never, (message) => messages.push(message));
  }
  return messages;
}

/** Each violation's message and the URN it is reported on. */
function reportsOnStack(
  policy: StackValidationPolicy,
  resources: PolicyResource[],
  config: Record<string, unknown> = {},
): { message: string; urn?: string }[] {
  const reports: { message: string; urn?: string }[] = [];
  void policy.validateStack({ resources, getConfig: () => config } as never, (message, urn) =>
    reports.push({ message, urn }),
  );
  return reports;
}
const onStack = (policy: StackValidationPolicy, resources: PolicyResource[], config: Record<string, unknown> = {}) =>
  reportsOnStack(policy, resources, config).map((r) => r.message);

describe("omsPolicies", () => {
  it("holds every policy once, each with a name, a description and a default level", () => {
    expect(omsPolicies.map((p) => p.name)).toEqual([
      "oms-one-manager-per-task",
      "oms-one-task-per-bucket-pair",
      "oms-task-quota",
      "oms-explicit-source-cloud",
      "oms-require-kms",
      "oms-consistency-check",
      "oms-storage-policy",
      "oms-protect-tasks",
      "oms-events-need-a-running-task",
    ]);
    for (const p of omsPolicies)
      expect([p.description.length > 20, p.enforcementLevel]).toEqual([true, expect.any(String)]);
  });
});

describe("oms-one-manager-per-task", () => {
  it("passes one manager per task, and SyncTasks that create theirs", () => {
    expect(onStack(oneManagerPerTask, [state("a", "t-1"), state("b", "t-2"), task("c"), task("d")])).toEqual([]);
  });
  it("fails two SyncTaskStates, or a SyncTask adopting a task a SyncTaskState keeps", () => {
    expect(onStack(oneManagerPerTask, [state("a", "t-1"), state("b", "t-1")])).toEqual([
      expect.stringContaining('SyncTaskState "a" and SyncTaskState "b" both manage sync task t-1'),
    ]);
    expect(onStack(oneManagerPerTask, [task("c", { syncTaskId: "t-1" }), state("a", "t-1")])).toHaveLength(1);
  });
  it("names the managers in name order, whatever order the engine registered them in", () => {
    const said = 'SyncTaskState "mirror" and SyncTaskState "mirrorToo" both manage sync task t-1';
    const reported = { message: expect.stringContaining(said), urn: expect.stringMatching(/::mirrorToo$/) };
    expect(reportsOnStack(oneManagerPerTask, [state("mirrorToo", "t-1"), state("mirror", "t-1")])).toEqual([reported]);
    expect(reportsOnStack(oneManagerPerTask, [state("mirror", "t-1"), state("mirrorToo", "t-1")])).toEqual([reported]);
  });
  it("does not guess at task ids a preview does not know", () => {
    expect(onStack(oneManagerPerTask, [state("a", UNKNOWN), state("b", UNKNOWN)])).toEqual([]);
  });
  it("does not count a SyncEvent as a manager: it asks OMS once and changes no state", () => {
    expect(onStack(oneManagerPerTask, [state("a", "t-1"), event("e", "t-1")])).toEqual([]);
  });
  it("judges both doors alike: a SyncTaskState and the oms plugin's SyncTask on one task are two managers", () => {
    const pluginTask = resource("oms:index:SyncTask", "p", { ...task("p").props, syncTaskId: "t-1" });
    expect(onStack(oneManagerPerTask, [state("a", "t-1"), pluginTask])).toEqual([
      expect.stringContaining('SyncTaskState "a" and SyncTask "p" both manage sync task t-1'),
    ]);
    const pluginState = resource("oms:index:SyncTaskState", "q", { syncTaskId: "t-2", state: "paused" });
    expect(onStack(oneManagerPerTask, [state("b", "t-2"), pluginState])).toHaveLength(1);
  });
});

describe("oms-events-need-a-running-task", () => {
  const paused = (name: string, syncTaskId: string) =>
    resource(SYNC_TASK_STATE_TYPE, name, { syncTaskId, state: "paused" });
  it("passes an event on a task kept started, or not managed by this stack", () => {
    expect(onStack(eventsNeedARunningTask, [state("a", "t-1"), event("e", "t-1"), event("f", "t-9")])).toEqual([]);
  });
  it("fails an event on a task this stack keeps paused, in either door, reported on the event", () => {
    expect(reportsOnStack(eventsNeedARunningTask, [paused("a", "t-1"), event("e", "t-1")])).toEqual([
      {
        message: expect.stringContaining(
          'SyncEvent "e" asks OMS to synchronize objects of sync task t-1, which SyncTaskState "a" keeps paused',
        ),
        urn: expect.stringMatching(/::e$/),
      },
    ]);
    const pluginEvent = resource("oms:index:SyncEvent", "p", { syncTaskId: "t-1", objectKeys: ["a"] });
    expect(onStack(eventsNeedARunningTask, [paused("a", "t-1"), pluginEvent])).toHaveLength(1);
  });
  it("does not guess at a task id or a state a preview does not know", () => {
    expect(onStack(eventsNeedARunningTask, [paused("a", "t-1"), event("e", UNKNOWN)])).toEqual([]);
    const unknownState = resource(SYNC_TASK_STATE_TYPE, "b", { syncTaskId: "t-2", state: UNKNOWN });
    expect(onStack(eventsNeedARunningTask, [unknownState, event("e", "t-2")])).toEqual([]);
  });
});

describe("oms-one-task-per-bucket-pair", () => {
  it("passes different pairs, and the same buckets from different clouds", () => {
    const same = { srcBucket: "x", dstBucket: "y" };
    expect(onStack(oneTaskPerBucketPair, [task("a", same), task("b", { ...same, srcCloudType: "Tencent" })])).toEqual(
      [],
    );
  });
  it("fails the same pair twice, counting a missing srcCloudType as Aliyun", () => {
    const same = { srcBucket: "x", dstBucket: "y" };
    expect(
      onStack(oneTaskPerBucketPair, [
        task("a", { ...same, srcCloudType: undefined }),
        task("b", { ...same, srcCloudType: "Aliyun" }),
      ]),
    ).toEqual([expect.stringContaining('SyncTask "a" and SyncTask "b" both copy Aliyun bucket x (r) to y (r)')]);
  });
  it("skips a SyncTask whose buckets a preview does not know", () => {
    expect(
      onStack(oneTaskPerBucketPair, [task("a", { srcBucket: UNKNOWN }), task("b", { srcBucket: UNKNOWN })]),
    ).toEqual([]);
  });
});

describe("oms-task-quota", () => {
  const creating = (n: number) => Array.from({ length: n }, (_, i) => task(`t${i}`));
  it("passes five creates and any number of adoptions", () => {
    expect(
      onStack(taskQuota, [...creating(5), task("x", { syncTaskId: "t-1" }), task("y", { syncTaskId: "t-2" })]),
    ).toEqual([]);
  });
  it("fails the sixth create, counting and naming them", () => {
    const [message] = onStack(taskQuota, creating(6));
    expect(message).toMatch(
      /^6 SyncTasks create a sync task \(SyncTask "t0", .* and SyncTask "t5"\), more than the 5 allowed/,
    );
  });
  it("names the creates and reports on the one past the limit in name order, whatever order they were registered in", () => {
    const reported = {
      message: expect.stringMatching(/\(SyncTask "t0", SyncTask "t1", SyncTask "t2" and SyncTask "t3"\)/),
      urn: expect.stringMatching(/::t2$/),
    };
    expect(reportsOnStack(taskQuota, creating(4), { limit: 2 })).toEqual([reported]);
    expect(reportsOnStack(taskQuota, creating(4).reverse(), { limit: 2 })).toEqual([reported]);
  });
  it("takes its limit from config", () => {
    expect(onStack(taskQuota, creating(3), { limit: 2 })).toHaveLength(1);
    expect(onStack(taskQuota, creating(3), { limit: 3 })).toEqual([]);
  });
  it("does not count a SyncTask whose syncTaskId a preview does not know", () => {
    expect(onStack(taskQuota, [...creating(5), task("x", { syncTaskId: UNKNOWN })])).toEqual([]);
  });
});

describe("oms-explicit-source-cloud", () => {
  it("passes a SyncTask that names its cloud, and ignores SyncTaskStates", () => {
    expect(onResource(explicitSourceCloud, task("a"))).toEqual([]);
    expect(onResource(explicitSourceCloud, state("s", "t-1"))).toEqual([]);
  });
  it("fails a SyncTask without srcCloudType, saying OMS takes Aliyun and how to fix it", () => {
    expect(onResource(explicitSourceCloud, task("a", { srcCloudType: undefined }))).toEqual([
      expect.stringMatching(
        /SyncTask "a" leaves srcCloudType out, so OMS reads the source as an Aliyun bucket; set srcCloudType/,
      ),
    ]);
  });
  it("passes a srcCloudType a preview does not know", () => {
    expect(onResource(explicitSourceCloud, task("a", { srcCloudType: UNKNOWN }))).toEqual([]);
  });
});

describe("oms-require-kms", () => {
  it("is disabled by default", () => expect(requireKms.enforcementLevel).toBe("disabled"));
  it("asks for both sides by default, and for the configured sides only", () => {
    expect(onResource(requireKms, task("a"))).toEqual([
      expect.stringContaining("has no srcKmsKeyId"),
      expect.stringContaining("has no dstKmsKeyId"),
    ]);
    expect(onResource(requireKms, task("a"), { sides: ["src"] })).toEqual([
      expect.stringContaining("has no srcKmsKeyId"),
    ]);
    expect(onResource(requireKms, task("a", { srcKmsKeyId: KMS, dstKmsKeyId: KMS }))).toEqual([]);
  });
  it("passes key ids a preview does not know", () => {
    expect(onResource(requireKms, task("a", { srcKmsKeyId: UNKNOWN, dstKmsKeyId: UNKNOWN }))).toEqual([]);
  });
});

describe("oms-consistency-check", () => {
  it("passes crc64, and fails OMS's default by default", () => {
    expect(onResource(consistencyCheck, task("a"))).toEqual([]);
    expect(onResource(consistencyCheck, task("a", { consistencyCheck: undefined }))).toEqual([
      expect.stringContaining(
        "uses consistencyCheck size_last_modified (OMS's default); set consistencyCheck to crc64",
      ),
    ]);
  });
  it("takes the allowed list from config", () => {
    expect(
      onResource(consistencyCheck, task("a", { consistencyCheck: "transmission" }), { allowed: ["transmission"] }),
    ).toEqual([]);
  });
  it("passes a value a preview does not know", () => {
    expect(onResource(consistencyCheck, task("a", { consistencyCheck: UNKNOWN }))).toEqual([]);
  });
});

describe("oms-storage-policy", () => {
  it("reports nothing until configured", () => {
    expect(onResource(storagePolicy, task("a", { dstStoragePolicy: "ARCHIVE" }))).toEqual([]);
  });
  it("fails a class outside the configured list, OMS's default STANDARD included", () => {
    expect(onResource(storagePolicy, task("a"), { allowed: ["IA"] })).toEqual([
      expect.stringContaining("writes the destination as STANDARD (OMS's default); set dstStoragePolicy to one of IA"),
    ]);
    expect(onResource(storagePolicy, task("a", { dstStoragePolicy: "IA" }), { allowed: ["IA"] })).toEqual([]);
  });
  it("passes a value a preview does not know", () => {
    expect(onResource(storagePolicy, task("a", { dstStoragePolicy: UNKNOWN }), { allowed: ["IA"] })).toEqual([]);
  });
});

describe("oms-protect-tasks", () => {
  it("passes a protected SyncTask and any SyncTaskState, and fails an unprotected SyncTask", () => {
    expect(onResource(protectTasks, task("a"))).toEqual([]);
    expect(onResource(protectTasks, state("s", "t-1"))).toEqual([]);
    expect(onResource(protectTasks, task("a", {}, false))).toEqual([
      expect.stringContaining('SyncTask "a" is not protected'),
    ]);
  });
});
