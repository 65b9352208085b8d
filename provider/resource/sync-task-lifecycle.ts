// The SyncTask lifecycle: a whole OMS sync task, created (or adopted), started or paused, and deleted. No HTTP here;
// the OMS client does that. The serialized provider loads this module by name from the installed package.
import type * as pulumi from "@pulumi/pulumi";
import type { OmsClient } from "../client/oms-client";
import type { OmsSyncTask, SyncTaskDefinition } from "../client/types";
import { CONTROL_CHARACTER } from "../client/validate";
import { amend, OmsError } from "../errors/oms-error";
import { compact } from "../utils/compact";
import {
  checkKnownKeys,
  checkShared,
  checkTaskId,
  describe,
  isUnknown,
  neverThrowing,
  same,
  SHARED_INPUT_KEYS,
  type Checking,
  PROVIDER_KEY,
} from "./check-inputs";
import { clientFor, isGone, settings, storedConnection } from "./context";
import { converge, startKeysFor, updateRunningState } from "./converge";
import { resolveStartKeys } from "./settings";
import { currentKeys, digestToRecord, DIGEST_OUTPUT, keysChanged } from "./start-keys";
import { initFailure, surface } from "./surface";
import {
  CDN_AUTHENTICATION_TYPES,
  CONSISTENCY_CHECKS,
  DEFAULT_TIMEOUT_SECONDS,
  DST_STORAGE_POLICIES,
  SRC_CLOUD_TYPES,
  STATUS_FOR,
  SYNC_TASK_OUTPUT_KEYS,
  type SyncTaskInputs,
  type SyncTaskOutputs,
} from "./types";
import { pauseUntilNextPoll, waitForStatus } from "./wait";

export { configure } from "./context";

const RESOURCE = "SyncTask";
/** The fields that define a task. OMS has no call that changes them, so a change replaces the task. */
export const DEFINITION_KEYS = [
  "srcCloudType",
  "srcRegion",
  "srcBucket",
  "dstRegion",
  "dstBucket",
  "description",
  "enableMetadataMigration",
  "enableRestore",
  "dstStoragePolicy",
  "consistencyCheck",
  "appId",
  "sourceCdn",
  "srcKmsKeyId",
  "dstKmsKeyId",
  "sourceCdnKmsKeyId",
] as const;
const INPUT_KEYS = [...DEFINITION_KEYS, "syncTaskId", ...SHARED_INPUT_KEYS];
const OUTPUT_KEYS: string[] = SYNC_TASK_OUTPUT_KEYS.filter((key) => key !== "syncTaskId");
const UPDATE_KEYS = ["state", "endpoint", "timeoutSeconds", "credentials"] as const;
/** What OMS uses when create leaves a field out: a program that leaves it out too means the same task. */
const OMS_DEFAULTS: Partial<Record<(typeof DEFINITION_KEYS)[number], unknown>> = {
  srcCloudType: "Aliyun",
  description: "",
  enableMetadataMigration: false,
  enableRestore: false,
  dstStoragePolicy: "STANDARD",
  consistencyCheck: "size_last_modified",
};
/** OMS answers `no_check` for a task created with `transmission` (HTTP sources). */
const ANSWERED_AS: Record<string, string> = { no_check: "transmission" };
/** The most a create may be off in time to count as ours when a lost answer is looked for; as the signing skew. */
const CREATE_CLOCK_SLACK_MS = 15 * 60_000;

// ---- check -----------------------------------------------------------------------------------------------------

type Rule = (value: unknown) => string | undefined;
const oneOf =
  (values: readonly string[]): Rule =>
  (v) =>
    typeof v === "string" && values.includes(v) ? undefined : `must be one of ${values.join(", ")}`;
const text =
  (max: number, pattern?: RegExp, what?: string): Rule =>
  (v) =>
    typeof v === "string" &&
    v.length >= 1 &&
    v.length <= max &&
    !CONTROL_CHARACTER.test(v) &&
    (!pattern || pattern.test(v))
      ? undefined
      : `must be ${what ?? `a string of 1–${max} characters`}`;
const bool: Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");
const KMS_KEY = text(64, /^[A-Za-z0-9-]+$/, "a KMS key id (36 characters, letters, digits and -)");
const REGION = text(64, /^[A-Za-z0-9_.-]+$/, "a region name such as cn-north-4");
const BUCKET = text(255, /^\S+$/, "a bucket name without whitespace (1–255 characters)");

const RULES: Record<(typeof DEFINITION_KEYS)[number], Rule> = {
  srcCloudType: oneOf(SRC_CLOUD_TYPES),
  srcRegion: REGION,
  srcBucket: BUCKET,
  dstRegion: REGION,
  dstBucket: BUCKET,
  description: (v) =>
    typeof v === "string" && v.length <= 255 && !/[<>()"'&]/.test(v) && !CONTROL_CHARACTER.test(v)
      ? undefined
      : `must be at most 255 characters, none of < > ( ) " ' &`,
  enableMetadataMigration: bool,
  enableRestore: bool,
  dstStoragePolicy: oneOf(DST_STORAGE_POLICIES),
  consistencyCheck: oneOf(CONSISTENCY_CHECKS),
  appId: text(64),
  sourceCdn: () => undefined, // checked field by field below
  srcKmsKeyId: KMS_KEY,
  dstKmsKeyId: KMS_KEY,
  sourceCdnKmsKeyId: KMS_KEY,
};
const REQUIRED = ["srcRegion", "srcBucket", "dstRegion", "dstBucket"];

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export async function check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  return neverThrowing(() => {
    const c: Checking = { news: news && typeof news === "object" ? news : {}, inputs: {}, failures: [] };
    checkKnownKeys(c, RESOURCE, INPUT_KEYS, OUTPUT_KEYS);
    checkDefinition(c);
    const adopting = c.news.syncTaskId !== undefined && c.news.syncTaskId !== null;
    if (adopting) checkTaskId(c, "the id of an existing OMS sync task to adopt");
    // A new task needs the source and destination keys in its create call, whatever its state.
    checkShared(c, { stateDefault: "started", keysNeeded: adopting ? undefined : true });
    checkCdnKey(c);
    return c;
  });
}

function checkDefinition(c: Checking): void {
  for (const key of DEFINITION_KEYS) {
    const value = c.news[key];
    if (value === undefined || value === null) {
      if (REQUIRED.includes(key)) c.failures.push({ property: key, reason: `${key} is required` });
      continue;
    }
    if (isUnknown(value)) {
      c.inputs[key] = value;
      continue;
    }
    const problem = key === "sourceCdn" ? checkSourceCdn(value) : RULES[key](value);
    if (problem) c.failures.push({ property: key, reason: `${key} ${problem}; got ${describe(value)}` });
    else c.inputs[key] = value;
  }
  if (c.news.srcCloudType === "Tencent" && (c.news.appId === undefined || c.news.appId === null)) {
    c.failures.push({
      property: "appId",
      reason: "appId (the Tencent APPID) is required when srcCloudType is Tencent",
    });
  }
  if (c.news.sourceCdnKmsKeyId !== undefined && c.news.sourceCdn === undefined) {
    c.failures.push({ property: "sourceCdnKmsKeyId", reason: "sourceCdnKmsKeyId needs sourceCdn" });
  }
}

function checkSourceCdn(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return "must be an object { domain, protocol, authenticationType }";
  }
  const cdn = value as Record<string, unknown>;
  const extra = Object.keys(cdn).filter((k) => !["domain", "protocol", "authenticationType"].includes(k));
  if (extra.length > 0) {
    return `has unknown field ${extra[0]} (its key is a start key: credentials.sourceCdnAuthenticationKey)`;
  }
  const problems = [
    isUnknown(cdn.domain)
      ? undefined
      : text(255, /^\S+$/, "a domain name")(cdn.domain) && "domain must be a domain name",
    isUnknown(cdn.protocol)
      ? undefined
      : oneOf(["http", "https"])(cdn.protocol) && 'protocol must be "http" or "https"',
    isUnknown(cdn.authenticationType)
      ? undefined
      : oneOf(CDN_AUTHENTICATION_TYPES)(cdn.authenticationType) &&
        `authenticationType must be one of ${CDN_AUTHENTICATION_TYPES.join(", ")}`,
  ].filter(Boolean);
  return problems.length > 0 ? `is invalid: ${problems.join("; ")}` : undefined;
}

/** A CDN source with authentication cannot start without its key (OMS.1032): say so in the preview. */
function checkCdnKey(c: Checking): void {
  const cdn = c.inputs.sourceCdn as Record<string, unknown> | undefined;
  if (!cdn || isUnknown(cdn.authenticationType) || cdn.authenticationType === "NONE") return;
  const credentials = c.inputs.credentials;
  if (isUnknown(credentials)) return;
  const { keys } = resolveStartKeys(credentials as never, settings(), isUnknown);
  if (keys && !keys.sourceCdnAuthenticationKey) {
    c.failures.push({
      property: "credentials",
      reason:
        "sourceCdn uses authentication, so the task needs its key: set `pulumi config set --secret oms:sourceCdnAuthenticationKey <value>` or pass credentials.sourceCdnAuthenticationKey",
    });
  }
}

// ---- diff ------------------------------------------------------------------------------------------------------

/** The definition as OMS would hold it: OMS's defaults filled in, answers mapped to what create takes. */
function canonical(props: Record<string, unknown>, key: (typeof DEFINITION_KEYS)[number]): unknown {
  const value = props[key] ?? OMS_DEFAULTS[key];
  return typeof value === "string" ? (ANSWERED_AS[value] ?? value) : value;
}

/**
 * A definition field, `projectId` or `region` replaces the task, deleting the old one first (an account holds only 5
 * tasks); so does a new `syncTaskId` to adopt. `state` (start or stop), `endpoint`, `timeoutSeconds` and
 * `credentials` update it.
 */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = DEFINITION_KEYS.filter(
    (key) => isUnknown(news[key]) || !same(canonical(olds, key), canonical(news, key)),
  );
  for (const key of ["projectId", "region"]) {
    if (isUnknown(news[key]) || !same(olds[key], news[key])) replaces.push(key);
  }
  // The id is an output of a created task; an input only when adopting.
  if (news.syncTaskId !== undefined && (isUnknown(news.syncTaskId) || news.syncTaskId !== olds.syncTaskId)) {
    replaces.push("syncTaskId");
  }
  const updates = UPDATE_KEYS.filter((key) => isUnknown(news[key]) || !same(olds[key], news[key]));
  return {
    changes: replaces.length + updates.length > 0 || keysChanged(olds, news),
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}

// ---- create, read, update, delete --------------------------------------------------------------------------------

function inputsOf(props: Record<string, unknown>): SyncTaskInputs {
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs as unknown as SyncTaskInputs;
}

function definitionOf(inputs: SyncTaskInputs): SyncTaskDefinition {
  const d: Record<string, unknown> = {};
  for (const key of DEFINITION_KEYS) if (inputs[key] !== undefined) d[key] = inputs[key];
  return d as unknown as SyncTaskDefinition;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function outputsFrom(inputs: SyncTaskInputs, id: string, task?: OmsSyncTask): SyncTaskOutputs {
  return compact({
    ...inputs,
    syncTaskId: id,
    status: task?.status ?? "UNKNOWN",
    createTime: iso(task?.createTime),
    lastStartTime: iso(task?.lastStartTime),
    monthlyAcceptanceRequest: task?.monthlyAcceptanceRequest,
    monthlySuccessObject: task?.monthlySuccessObject,
    monthlyFailureObject: task?.monthlyFailureObject,
    monthlySkipObject: task?.monthlySkipObject,
    monthlySize: task?.monthlySize,
    objectOverwriteMode: task?.objectOverwriteMode,
  });
}

/** The definition fields a show reports, as inputs. Show has no source_cdn and no KMS key ids. */
function shownDefinition(task: OmsSyncTask): Partial<SyncTaskInputs> {
  return compact({
    srcCloudType: task.srcCloudType,
    srcRegion: task.srcRegion,
    srcBucket: task.srcBucket,
    dstRegion: task.dstRegion,
    dstBucket: task.dstBucket,
    description: task.description,
    enableMetadataMigration: task.enableMetadataMigration,
    enableRestore: task.enableRestore,
    dstStoragePolicy: task.dstStoragePolicy,
    consistencyCheck: task.consistencyCheck,
    appId: task.appId,
  });
}

/** Each declared definition field that the adopted task shows otherwise. */
function mismatches(inputs: SyncTaskInputs, task: OmsSyncTask): string[] {
  const shown = shownDefinition(task) as Record<string, unknown>;
  const declared = inputs as unknown as Record<string, unknown>;
  return DEFINITION_KEYS.filter(
    (key) => shown[key] !== undefined && !same(canonical(declared, key), canonical(shown, key)),
  ).map(
    (key) =>
      `${key} is ${JSON.stringify(canonical(shown, key))} in OMS but ${JSON.stringify(canonical(declared, key))} in the program`,
  );
}

function deadlineOf(inputs: { timeoutSeconds?: number }): number {
  return Date.now() + (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
}

/** The quota's code is not documented: OMS refuses with a 400 whose message speaks of the limit. */
function isQuotaRefusal(error: unknown): boolean {
  return (
    error instanceof OmsError &&
    error.status === 400 &&
    /upper limit|quota|at most \d+|maximum|exceed/i.test(error.errorMsg ?? "")
  );
}

/** A failure of create after which the task may or may not exist: OMS may have processed it. */
function mayHaveCreated(error: unknown): boolean {
  return (
    error instanceof OmsError &&
    (["NETWORK_ERROR", "TIMEOUT", "INVALID_RESPONSE"].includes(error.code) || (error.status ?? 0) >= 500)
  );
}

/**
 * Creates the task. When the answer was lost (a reset, a timeout, a 5xx), looks for the task among the project's
 * tasks before failing, so that a lost answer neither leaks a task nor creates a second one on the next `up`.
 */
async function createOnce(client: OmsClient, inputs: SyncTaskInputs, deadline: number): Promise<string> {
  const startedAt = Date.now();
  try {
    return await client.createTask(definitionOf(inputs), startKeysFor(inputs.credentials, undefined), { deadline });
  } catch (error) {
    if (isQuotaRefusal(error)) {
      const e = error as OmsError;
      throw amend(e, {
        reason: `the account already has as many sync tasks as OMS allows (5): ${e.reason}`,
        hint: "Delete a task you no longer need, or adopt an existing one by passing its id as syncTaskId",
      });
    }
    if (!mayHaveCreated(error)) throw error;
    const found = await client
      .listTasks({}, { deadline: Math.max(deadline, Date.now() + 30_000) })
      .then((tasks) =>
        tasks.filter(
          (t) =>
            t.srcBucket === inputs.srcBucket &&
            t.dstBucket === inputs.dstBucket &&
            t.srcRegion === inputs.srcRegion &&
            t.dstRegion === inputs.dstRegion &&
            (t.description ?? "") === (inputs.description ?? "") &&
            (t.createTime === undefined || t.createTime >= startedAt - CREATE_CLOCK_SLACK_MS),
        ),
      )
      .catch(() => undefined);
    if (found?.length === 1) return found[0].syncTaskId;
    throw amend(error as OmsError, {
      hint:
        found && found.length > 1
          ? `OMS may have created the task; ${found.length} tasks match the definition (${found.map((t) => t.syncTaskId).join(", ")}): adopt the right one with syncTaskId`
          : "OMS may or may not have created the task: check the console (or list the tasks) before running `pulumi up` again, and adopt it with syncTaskId if it exists",
    });
  }
}

export async function create(props: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = inputsOf(props);
  let id: string | undefined;
  try {
    const client = clientFor(inputs, inputs.syncTaskId);
    const deadline = deadlineOf(inputs);
    const options = { timeoutSeconds: inputs.timeoutSeconds, deadline, credentials: inputs.credentials };
    if (inputs.syncTaskId !== undefined) {
      const task = await client.showTask(inputs.syncTaskId, { deadline });
      const differ = mismatches(inputs, task);
      if (differ.length > 0) {
        throw new OmsError({
          code: "CONFIG_ERROR",
          operation: "adopt",
          taskId: inputs.syncTaskId,
          reason: `the task's definition differs from the program: ${differ.join("; ")}`,
          hint: "Declare the task as OMS shows it (OMS cannot change a task), or leave out syncTaskId to create a new one",
        });
      }
      id = inputs.syncTaskId;
      return {
        id,
        outs: withDigest(
          outputsFrom(inputs, id, await converge(client, id, inputs.state, { ...options, known: task })),
          undefined,
          inputs,
        ),
      };
    }
    id = await createOnce(client, inputs, deadline);
    // OMS starts a new task by itself: wait for that, or stop it at once without another look.
    const task =
      inputs.state === "started"
        ? await waitForStatus(
            client,
            {
              taskId: id,
              want: STATUS_FOR.started,
              action: "start",
              timeoutSeconds: inputs.timeoutSeconds,
              lastStatus: "new",
            },
            deadline,
          )
        : await converge(client, id, "paused", { ...options, known: { syncTaskId: id, status: STATUS_FOR.started } });
    return { id, outs: withDigest(outputsFrom(inputs, id, task), undefined, inputs) };
  } catch (error) {
    if (id !== undefined && inputs.syncTaskId === undefined) {
      // The task exists: record it, so the next `up` converges it instead of creating another. The per-resource
      // keys are left out here (the engine may not mark them secret on this path); the next `up` records them.
      const { credentials: _keys, ...recorded } = outputsFrom(inputs, id);
      return initFailure(error, RESOURCE, id, { ...recorded, [PROVIDER_KEY]: props[PROVIDER_KEY] });
    }
    return surface(error, RESOURCE);
  }
}

export async function update(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  try {
    const inputs = inputsOf(news);
    const { task, digest } = await updateRunningState(() => clientFor(inputs, id), id, inputs, olds);
    // Without a call, what OMS last reported carries over.
    const outs = task ? outputsFrom(inputs, id, task) : { ...outputsFrom(inputs, id), ...pick(olds, OUTPUT_KEYS) };
    return { outs: compact({ ...outs, syncTaskId: id, [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    return surface(error, RESOURCE);
  }
}

/** Outputs with the digest of the keys just sent (or, for an adopted task, in force from now on). */
function withDigest(outs: SyncTaskOutputs, recorded: unknown, inputs: SyncTaskInputs): SyncTaskOutputs {
  return compact({ ...outs, [DIGEST_OUTPUT]: digestToRecord(recorded, currentKeys(inputs.credentials)) });
}

function pick(from: object, keys: string[]): Record<string, unknown> {
  const record = from as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

/** Stored properties, with the connection filled from config where they lack it (as `check` does). */
function storedInputs(props: Record<string, unknown>): SyncTaskInputs {
  const stored = inputsOf(props ?? {});
  return {
    ...stored,
    ...storedConnection(props ?? {}),
    timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    state: stored.state ?? "started",
  };
}

/** Refresh: one show. `state` follows the status and the definition comes back as OMS shows it; gone: empty id. */
export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  try {
    const stored = storedInputs(props);
    let task: OmsSyncTask;
    try {
      task = await clientFor(stored, id).showTask(id, { deadline: deadlineOf(stored) });
    } catch (error) {
      if (isGone(error)) return { id: "" };
      throw error;
    }
    const refreshed = compact({
      ...stored,
      ...shownDefinition(task),
      state: task.status === STATUS_FOR.started ? "started" : "paused",
    } as SyncTaskInputs);
    // OMS never shows keys: the digest of the ones last sent carries over.
    const outs = compact({ ...outputsFrom(refreshed, id, task), [DIGEST_OUTPUT]: props?.[DIGEST_OUTPUT] });
    return { id, props: outs, inputs: refreshed };
  } catch (error) {
    return surface(error, RESOURCE);
  }
}

/**
 * Delete: show; a synchronizing task is stopped and waited for until STOPPED; then DELETE, retrying OMS.0063 ("task
 * in progress", which OMS also answers briefly after a stop) on the poll schedule until `timeoutSeconds`. A task
 * already gone counts as deleted.
 */
export async function remove(id: string, props: Record<string, unknown>): Promise<void> {
  try {
    const stored = storedInputs(props);
    const client = clientFor(stored, id);
    const deadline = deadlineOf(stored);
    try {
      const task = await client.showTask(id, { deadline });
      if (task.status !== STATUS_FOR.paused) {
        await converge(client, id, "paused", { timeoutSeconds: stored.timeoutSeconds, deadline, known: task });
      }
      const began = Date.now();
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.deleteTask(id, { deadline });
          return;
        } catch (error) {
          const busy = error instanceof OmsError && error.errorCode === "OMS.0063";
          if (!busy || Date.now() >= deadline) throw error;
        }
        await pauseUntilNextPoll(began, attempt + 1, deadline);
      }
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
  } catch (error) {
    return surface(error, RESOURCE);
  }
}
