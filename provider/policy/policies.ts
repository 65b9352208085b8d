// Policies for programs that use pulumi-oms-sync, for `pulumi preview --policy-pack`: the mistakes OMS finds only
// during `up` (or never), stopped before any API call. Each message names the resource, the field and the fix.
import type {
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { SYNC_TASK_QUOTA } from "../client/limits";
import { dynamicToken, pluginToken } from "../core/descriptor";
import { SYNC_EVENT } from "../core/sync-event/descriptor";
import { SYNC_TASK } from "../core/sync-task/descriptor";
import { SYNC_TASK_STATE } from "../core/sync-task-state/descriptor";
import { PENDING, read, readAll } from "./read";

/** The resource types of this package's dynamic resources, as the engine names them. */
export const SYNC_TASK_TYPE = dynamicToken(SYNC_TASK);
export const SYNC_TASK_STATE_TYPE = dynamicToken(SYNC_TASK_STATE);
/** The same resources through the `oms` provider plugin: both doors are judged alike. */
export const PLUGIN_SYNC_TASK_TYPE = pluginToken(SYNC_TASK);
export const PLUGIN_SYNC_TASK_STATE_TYPE = pluginToken(SYNC_TASK_STATE);
/** SyncEvent in both doors: a request to OMS, not a manager of the task. */
export const SYNC_EVENT_TYPE = dynamicToken(SYNC_EVENT);
export const PLUGIN_SYNC_EVENT_TYPE = pluginToken(SYNC_EVENT);

type Named = Pick<PolicyResource, "type" | "name" | "props">;

const isSyncTask = (r: { type: string }) => r.type === SYNC_TASK_TYPE || r.type === PLUGIN_SYNC_TASK_TYPE;
const isSyncTaskState = (r: { type: string }) =>
  r.type === SYNC_TASK_STATE_TYPE || r.type === PLUGIN_SYNC_TASK_STATE_TYPE;
const isSyncEvent = (r: { type: string }) => r.type === SYNC_EVENT_TYPE || r.type === PLUGIN_SYNC_EVENT_TYPE;
const kind = (r: Named) => (isSyncTask(r) ? SYNC_TASK.name : isSyncEvent(r) ? SYNC_EVENT.name : SYNC_TASK_STATE.name);
const label = (r: Named) => `${kind(r)} "${r.name}"`;
/** By name, then kind: the engine registers a program's resources in no fixed order (YAML runs them in parallel). */
const byName = (a: Named, b: Named) => a.name.localeCompare(b.name) || kind(a).localeCompare(kind(b));
/** `A`, `A and B`, `A, B and C`. */
const list = (rs: Named[]) => {
  const labels = rs.map(label);
  return labels.length < 2 ? labels.join("") : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
};
const allOf = (rs: unknown[]) => (rs.length === 2 ? "both" : "all");
// Both in name order, so that every preview names the same resources in the same order and reports on the same one.
const ours = (resources: PolicyResource[]) => resources.filter((r) => isSyncTask(r) || isSyncTaskState(r)).sort(byName);
const syncTasks = (resources: PolicyResource[]) => resources.filter(isSyncTask).sort(byName);

/** The resources that share a key with another, by key; a resource without a known key is left out. */
function sharing(resources: PolicyResource[], keyOf: (r: PolicyResource) => string | undefined) {
  const groups = new Map<string, PolicyResource[]>();
  for (const r of resources) {
    const key = keyOf(r);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].filter(([, members]) => members.length > 1);
}

/** Whether a SyncTask creates its task (no `syncTaskId`); `undefined` while that is not known. */
function creates(r: Named): boolean | undefined {
  const id = read(r.props, "syncTaskId");
  if (id === PENDING) return undefined;
  return id === undefined || id === null || id === "";
}

/** A check of one SyncTask's properties, skipped for other resources. */
function onSyncTask(check: (r: Named, report: ReportViolation, config: Record<string, unknown>) => void) {
  return (args: Named & { getConfig<T extends object>(): T }, report: ReportViolation): void => {
    if (isSyncTask(args)) check(args, report, args.getConfig<Record<string, unknown>>());
  };
}

export const oneManagerPerTask: StackValidationPolicy = {
  name: "oms-one-manager-per-task",
  description:
    "No two resources of pulumi-oms-sync manage the same sync task: they would pause what the other starts on every up.",
  enforcementLevel: "mandatory",
  validateStack: ({ resources }, report) => {
    const byTask = sharing(ours(resources), (r) => {
      const id = read(r.props, "syncTaskId");
      return typeof id === "string" && id !== "" ? id : undefined;
    });
    for (const [id, managers] of byTask) {
      report(
        `${list(managers)} ${allOf(managers)} manage sync task ${id} (syncTaskId), so each would undo what the other does on every up. Keep one: a SyncTask to own the task, or a SyncTaskState to keep it started or paused`,
        managers[1].urn,
      );
    }
  },
};

const PAIR_KEYS = ["srcCloudType", "srcRegion", "srcBucket", "dstRegion", "dstBucket"] as const;

export const oneTaskPerBucketPair: StackValidationPolicy = {
  name: "oms-one-task-per-bucket-pair",
  description:
    "No two SyncTasks copy the same source bucket to the same destination bucket: that doubles the traffic and races on every object.",
  enforcementLevel: "mandatory",
  validateStack: ({ resources }, report) => {
    const byPair = sharing(syncTasks(resources), (r) => {
      const pair = readAll(r.props, PAIR_KEYS);
      if (!pair) return undefined;
      return JSON.stringify([
        pair.srcCloudType ?? "Aliyun",
        pair.srcRegion,
        pair.srcBucket,
        pair.dstRegion,
        pair.dstBucket,
      ]);
    });
    for (const [key, tasks] of byPair) {
      const [cloud, srcRegion, srcBucket, dstRegion, dstBucket] = JSON.parse(key) as string[];
      report(
        `${list(tasks)} ${allOf(tasks)} copy ${cloud} bucket ${srcBucket} (${srcRegion}) to ${dstBucket} (${dstRegion}): one task per bucket pair is enough. Remove all but one, or point each at its own srcBucket/dstBucket`,
        tasks[1].urn,
      );
    }
  },
};

export const taskQuota: StackValidationPolicy = {
  name: "oms-task-quota",
  description: `The SyncTasks of a stack that create a task stay within OMS's quota (${SYNC_TASK_QUOTA} sync tasks per account).`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      limit: {
        type: "integer",
        minimum: 1,
        default: SYNC_TASK_QUOTA,
        description: "How many tasks the stack may create; lower it for the tasks the account already has elsewhere",
      },
    },
  },
  validateStack: ({ resources, getConfig }, report) => {
    const limit = Number(getConfig<{ limit?: number }>().limit ?? SYNC_TASK_QUOTA);
    const creating = syncTasks(resources).filter((r) => creates(r) === true);
    if (creating.length <= limit) return;
    report(
      `${creating.length} SyncTasks create a sync task (${list(creating)}), more than the ${limit} allowed: OMS counts ${SYNC_TASK_QUOTA} per account, and the create past it fails during up, after the others were made. Adopt existing tasks with syncTaskId, move some to another account's stack, or delete tasks you no longer need`,
      creating[limit].urn,
    );
  },
};

export const explicitSourceCloud: ResourceValidationPolicy = {
  name: "oms-explicit-source-cloud",
  description: "A SyncTask names its source cloud: without srcCloudType, OMS takes the source for an Aliyun bucket.",
  enforcementLevel: "advisory",
  validateResource: onSyncTask((r, report) => {
    const cloud = read(r.props, "srcCloudType");
    if (cloud === undefined || cloud === null) {
      report(
        `${label(r)} leaves srcCloudType out, so OMS reads the source as an Aliyun bucket; set srcCloudType (AWS, Azure, Aliyun, Tencent, HuaweiCloud, …) to where the source bucket is`,
      );
    }
  }),
};

const SIDES = { src: "srcKmsKeyId", dst: "dstKmsKeyId" } as const;

export const requireKms: ResourceValidationPolicy = {
  name: "oms-require-kms",
  description: "A SyncTask protects the keys OMS is given with KMS: srcKmsKeyId and dstKmsKeyId are set.",
  enforcementLevel: "disabled",
  configSchema: {
    properties: {
      sides: {
        type: "array",
        items: { type: "string", enum: ["src", "dst"] },
        default: ["src", "dst"],
        description: "Which keys must be KMS-protected: the source's (src), the destination's (dst)",
      },
    },
  },
  validateResource: onSyncTask((r, report, config) => {
    const sides = Array.isArray(config.sides) ? (config.sides as string[]) : ["src", "dst"];
    for (const side of ["src", "dst"] as const) {
      if (!sides.includes(side)) continue;
      const field = SIDES[side];
      const value = read(r.props, field);
      if (value === undefined || value === null || value === "") {
        report(
          `${label(r)} has no ${field}: OMS keeps the ${side === "src" ? "source" : "destination"} keys with its default encryption; set ${field} to a KMS key id (36 characters) of the task's region. A change replaces the task`,
        );
      }
    }
  }),
};

export const consistencyCheck: ResourceValidationPolicy = {
  name: "oms-consistency-check",
  description:
    "A SyncTask compares objects with a check from the allowed list (by default crc64, stronger than size and last-modified time).",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      allowed: {
        type: "array",
        items: { type: "string", enum: ["size_last_modified", "crc64", "transmission"] },
        default: ["crc64"],
        description: "The consistencyCheck values a SyncTask may use",
      },
    },
  },
  validateResource: onSyncTask((r, report, config) => {
    const allowed = Array.isArray(config.allowed) ? (config.allowed as string[]) : ["crc64"];
    const value = read(r.props, "consistencyCheck");
    if (value === PENDING) return;
    const used = typeof value === "string" ? value : "size_last_modified";
    if (allowed.includes(used)) return;
    report(
      `${label(r)} uses consistencyCheck ${used}${typeof value === "string" ? "" : " (OMS's default)"}; set consistencyCheck to ${allowed.join(" or ")} (crc64 works for HuaweiCloud, Aliyun and Tencent sources). A change replaces the task`,
    );
  }),
};

export const storagePolicy: ResourceValidationPolicy = {
  name: "oms-storage-policy",
  description:
    "A SyncTask writes the destination in an allowed storage class; reports nothing until `allowed` is configured.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      allowed: {
        type: "array",
        items: { type: "string", enum: ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"] },
        description: "The dstStoragePolicy values a SyncTask may use",
      },
    },
  },
  validateResource: onSyncTask((r, report, config) => {
    if (!Array.isArray(config.allowed) || config.allowed.length === 0) return;
    const allowed = config.allowed as string[];
    const value = read(r.props, "dstStoragePolicy");
    if (value === PENDING) return;
    const used = typeof value === "string" ? value : "STANDARD";
    if (allowed.includes(used)) return;
    report(
      `${label(r)} writes the destination as ${used}${typeof value === "string" ? "" : " (OMS's default)"}; set dstStoragePolicy to one of ${allowed.join(", ")}. A change replaces the task`,
    );
  }),
};

export const protectTasks: ResourceValidationPolicy = {
  name: "oms-protect-tasks",
  description:
    "A SyncTask is protected: `pulumi destroy`, or any definition change (a replace deletes first), deletes the sync task.",
  enforcementLevel: "advisory",
  validateResource: (args, report) => {
    if (!isSyncTask(args) || args.opts.protect) return;
    report(
      `${label(args)} is not protected, so pulumi destroy or a change to its definition deletes the sync task; pass { protect: true } (or { retainOnDelete: true }, which a policy cannot see, and disable this policy)`,
    );
  },
};

export const eventsNeedARunningTask: StackValidationPolicy = {
  name: "oms-events-need-a-running-task",
  description:
    "A SyncEvent's task is not one this stack keeps paused: OMS refuses sync events for a task that is not synchronizing (OMS.0066).",
  enforcementLevel: "mandatory",
  validateStack: ({ resources }, report) => {
    const managers = ours(resources);
    for (const event of resources.filter(isSyncEvent).sort(byName)) {
      const id = read(event.props, "syncTaskId");
      if (typeof id !== "string" || id === "") continue;
      const paused = managers.find((m) => read(m.props, "syncTaskId") === id && read(m.props, "state") === "paused");
      if (!paused) continue;
      report(
        `${label(event)} asks OMS to synchronize objects of sync task ${id}, which ${label(paused)} keeps paused; OMS refuses events for a task that is not synchronizing (OMS.0066). Set state: "started", or remove the event`,
        event.urn,
      );
    }
  },
};

/**
 * Every policy of this package, for a team's own pack: `new PolicyPack("my-pack", { policies: omsPolicies })`.
 */
export const omsPolicies: Policies = [
  oneManagerPerTask,
  oneTaskPerBucketPair,
  taskQuota,
  explicitSourceCloud,
  requireKms,
  consistencyCheck,
  storagePolicy,
  protectTasks,
  eventsNeedARunningTask,
];
