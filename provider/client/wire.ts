// What goes on the wire: the bodies the client sends and the answers it accepts, each checked against its
// documented shape. Anything of another shape is refused (`CONFIG_ERROR`) or reported (`INVALID_RESPONSE`).
import { OmsError, type OmsOperation } from "../errors/oms-error";
import { rememberSecrets, shapedValue } from "../errors/redact";
import { compact } from "../utils/compact";
import { DEFINITION_FIELDS } from "./definition";
import type {
  CreateSyncTaskBody,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  StartSyncTaskBody,
  StatisticsDataType,
  StatisticsPoint,
  StatisticsQuery,
  SyncTaskDefinition,
  SyncTaskWire,
  TaskStatistics,
} from "./types";
import {
  CONTROL_CHARACTER,
  EPOCH_MS_13_DIGITS,
  MAX_CDN_KEY_CHARS,
  MAX_EVENT_OBJECT_KEYS,
  MAX_KEY_CHARS,
  MAX_OBJECT_KEY_BYTES,
  MAX_STATISTICS_POINTS,
  MAX_STATISTICS_RANGE_MS,
  STATISTICS_DATA_TYPES,
} from "./limits";
import { percentEncode } from "./signer";
import { configError, invalidResponse, taskIdProblem } from "./validate";

export function parseJson(text: string, operation: OmsOperation, taskId?: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidResponse(operation, taskId, "the response body is not JSON");
  }
}

export function startBody(given: StartKeys, operation: OmsOperation, taskId?: string): StartSyncTaskBody {
  const keys = (given && typeof given === "object" ? given : {}) as Partial<StartKeys>;
  const fields: [keyof StartKeys, string | undefined, number][] = [
    ["srcAk", keys.srcAk, MAX_KEY_CHARS],
    ["srcSk", keys.srcSk, MAX_KEY_CHARS],
    ["dstAk", keys.dstAk, MAX_KEY_CHARS],
    ["dstSk", keys.dstSk, MAX_KEY_CHARS],
  ];
  for (const [name, value, max] of fields) {
    if (typeof value !== "string" || value.length < 1 || value.length > max || CONTROL_CHARACTER.test(value)) {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation,
        taskId,
        reason: `${name} must be 1–${max} characters without control characters`,
      });
    }
  }
  const body = { src_ak: keys.srcAk, src_sk: keys.srcSk, dst_ak: keys.dstAk, dst_sk: keys.dstSk } as StartSyncTaskBody;
  const cdnKey = keys.sourceCdnAuthenticationKey;
  if (cdnKey !== undefined && cdnKey !== "") {
    if (typeof cdnKey !== "string" || cdnKey.length > MAX_CDN_KEY_CHARS || CONTROL_CHARACTER.test(cdnKey)) {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation,
        taskId,
        reason: `sourceCdnAuthenticationKey must be at most ${MAX_CDN_KEY_CHARS} characters without control characters`,
      });
    }
    body.source_cdn_authentication_key = cdnKey;
  }
  rememberSecrets(...Object.values(body));
  return body;
}

/** The KMS fields a start repeats (the table's `start` columns): each key id set makes its crypto type `KMS`. */
export function kmsFields(kms: KmsKeys | undefined, operation: OmsOperation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of DEFINITION_FIELDS) {
    if (!("start" in f) || !f.start) continue;
    const id = (kms as Record<string, unknown> | undefined)?.[f.input];
    if (id === undefined) continue;
    const problem = f.rule(id, () => false);
    if (problem) throw new OmsError({ code: "CONFIG_ERROR", operation, reason: `${f.input} ${problem}` });
    out[f.start.typeField] = "KMS";
    out[f.start.idField] = id as string;
  }
  return out;
}

/**
 * The create body, field by field from the definition table, in the order Huawei's SDK sends it. Every field is
 * checked by its row's rule first: a bad definition is a `CONFIG_ERROR` and nothing is sent.
 */
export function createBody(d: SyncTaskDefinition, keys: StartKeys): CreateSyncTaskBody {
  if (!d || typeof d !== "object") throw configError("the task definition must be an object");
  const start = startBody(keys, "create");
  const given = d as unknown as Record<string, unknown>;
  const checkedKeys: StartKeys = { ...keys, sourceCdnAuthenticationKey: start.source_cdn_authentication_key };
  const entries: [string, unknown][] = [];
  for (const f of DEFINITION_FIELDS) {
    if ("keysBefore" in f && f.keysBefore) {
      const side = f.keysBefore;
      entries.push([`${side}_ak`, start[`${side}_ak`]], [`${side}_sk`, start[`${side}_sk`]]);
    }
    const value = given[f.input];
    if (value === undefined || value === null) {
      if (f.required) {
        throw new OmsError({ code: "CONFIG_ERROR", operation: "create", reason: `${f.input} is required` });
      }
      continue;
    }
    const problem = f.rule(value, () => false);
    if (problem) throw new OmsError({ code: "CONFIG_ERROR", operation: "create", reason: `${f.input} ${problem}` });
    entries.push(...f.create(value, d, checkedKeys));
  }
  return Object.fromEntries(entries) as CreateSyncTaskBody;
}

/** Statuses are short upper-case words (`SYNCHRONIZING`, `STOPPED`). */
const STATUS_SHAPE = /^[A-Z][A-Z_]{0,31}$/;
/** Free-text fields (buckets, description, enums) are kept only when short, single-line and free of secrets. */
const TEXT_SHAPE = { test: (v: string) => v.length <= 1024 && !CONTROL_CHARACTER.test(v) };
/** The latest time JavaScript can represent, in ms. */
const MAX_EPOCH_MS = 8.64e15;

const str = (v: unknown): string | undefined => shapedValue(v, TEXT_SHAPE);
const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? v : undefined;
const time = (v: unknown): number | undefined =>
  num(v) !== undefined && (v as number) <= MAX_EPOCH_MS ? (v as number) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/**
 * Maps a wire task to {@link OmsSyncTask}. A task without a well-formed `status` is an invalid response; any other
 * field of the wrong type or shape (a huge string, a time JavaScript cannot represent, one holding a secret) is
 * dropped, never stored.
 */
export function parseTask(data: unknown, operation: OmsOperation, taskId?: string): OmsSyncTask {
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw invalidResponse(operation, taskId, "the response is not a task object");
  }
  const w = data as SyncTaskWire;
  if (w.status === undefined || w.status === null || w.status === "") {
    throw invalidResponse(operation, taskId, "the task in the response has no status");
  }
  const status = shapedValue(w.status, STATUS_SHAPE);
  if (!status) {
    throw invalidResponse(
      operation,
      taskId,
      "the task in the response has a malformed status (expected a short upper-case word such as SYNCHRONIZING)",
    );
  }
  const id =
    typeof w.sync_task_id === "string" && !taskIdProblem(w.sync_task_id)
      ? shapedValue(w.sync_task_id, TEXT_SHAPE)
      : undefined;
  const cdn = w.source_cdn && typeof w.source_cdn === "object" ? w.source_cdn : undefined;
  const definition: Record<string, unknown> = {};
  for (const f of DEFINITION_FIELDS) {
    if (!("shown" in f) || !f.shown) continue;
    const raw = (w as Record<string, unknown>)[f.wire];
    definition[f.input] = f.shown === "boolean" ? bool(raw) : str(raw);
  }
  const task: OmsSyncTask = {
    ...definition,
    syncTaskId: id ?? taskId ?? "",
    status,
    createTime: time(w.create_time),
    lastStartTime: time(w.last_start_time),
    sourceCdn: cdn
      ? { domain: str(cdn.domain), protocol: str(cdn.protocol), authenticationType: str(cdn.authentication_type) }
      : undefined,
    objectOverwriteMode: str(w.object_overwrite_mode),
    monthlyAcceptanceRequest: num(w.monthly_acceptance_request),
    monthlySuccessObject: num(w.monthly_success_object),
    monthlyFailureObject: num(w.monthly_failure_object),
    monthlySkipObject: num(w.monthly_skip_object),
    monthlySize: num(w.monthly_size),
  };
  return compact(task);
}

/** Why `query` cannot be sent to the statistics call (naming the field and the fix), or `undefined` when it can. */
export function statisticsQueryProblem(query: unknown): string | undefined {
  const q = (query && typeof query === "object" ? query : {}) as Partial<Record<keyof StatisticsQuery, unknown>>;
  if (!STATISTICS_DATA_TYPES.includes(q.dataType as StatisticsDataType)) {
    return `dataType must be one of ${STATISTICS_DATA_TYPES.join(", ")}`;
  }
  for (const field of ["startTime", "endTime"] as const) {
    const t = q[field];
    if (typeof t !== "number" || !Number.isInteger(t) || t < EPOCH_MS_13_DIGITS.min || t > EPOCH_MS_13_DIGITS.max) {
      return `${field} must be a time in epoch milliseconds (13 digits, e.g. 1767225600000) or a date`;
    }
  }
  const [start, end] = [q.startTime as number, q.endTime as number];
  if (end <= start) return "endTime must be after startTime";
  if (end - start > MAX_STATISTICS_RANGE_MS) {
    return `the range from startTime to endTime is over OMS's ${MAX_STATISTICS_RANGE_MS / 3_600_000} hours (${MAX_STATISTICS_POINTS} hourly points); ask for a shorter range`;
  }
  return undefined;
}

/** The statistics call's query for a valid {@link StatisticsQuery}: one data type, times as epoch-ms strings. */
export function statisticsQuery(q: StatisticsQuery): Record<string, string> {
  return { data_type: q.dataType, start_time: String(q.startTime), end_time: String(q.endTime) };
}

/** Why `keys` cannot be a sync event's object keys, or `undefined` when they can. */
export function objectKeysProblem(keys: unknown): string | undefined {
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_EVENT_OBJECT_KEYS) {
    return `objectKeys must be a list of 1–${MAX_EVENT_OBJECT_KEYS} object names (OMS takes at most ${MAX_EVENT_OBJECT_KEYS} in one event)`;
  }
  for (const [i, key] of keys.entries()) {
    if (typeof key !== "string" || key.length === 0) return `objectKeys[${i}] must be a non-empty object name`;
    if (Buffer.byteLength(key, "utf8") > MAX_OBJECT_KEY_BYTES) {
      return `objectKeys[${i}] is longer than an object name can be (${MAX_OBJECT_KEY_BYTES} bytes in UTF-8)`;
    }
    if (CONTROL_CHARACTER.test(key)) return `objectKeys[${i}] cannot contain control characters`;
  }
  return undefined;
}

/** The events body: each object name URL-encoded, as OMS requires (`a b/c.txt` → `a%20b%2Fc.txt`). */
export function eventsBody(keys: readonly string[]): { object_keys: string[] } {
  return { object_keys: keys.map(percentEncode) };
}

/** A count or a time from a statistics answer: a non-negative safe integer, else `undefined`. */
const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

/**
 * The series of `dataType` in a statistics answer (`{sync_task_id, statistic_time_type, statistic_datas: [{data_type,
 * data: [{time_stamp, statistic_num}]}]}`). A missing series is an empty one; a point that is not two non-negative
 * integers, a series over {@link MAX_STATISTICS_POINTS} points, or a sum past 2^53 is an `INVALID_RESPONSE`.
 */
export function parseStatistics(data: unknown, dataType: StatisticsDataType, taskId: string): TaskStatistics {
  const bad = (reason: string) => invalidResponse("statistics", taskId, reason);
  if (!data || typeof data !== "object" || Array.isArray(data)) throw bad("the response is not a statistics object");
  const w = data as { statistic_time_type?: unknown; statistic_datas?: unknown };
  if (!Array.isArray(w.statistic_datas)) throw bad("the response has no statistic_datas array");
  if (w.statistic_datas.length > MAX_STATISTICS_POINTS) {
    throw bad(`statistic_datas holds ${w.statistic_datas.length} series, more than OMS sends`);
  }
  const series = w.statistic_datas.find(
    (s: unknown) => s && typeof s === "object" && (s as { data_type?: unknown }).data_type === dataType,
  ) as { data?: unknown } | undefined;
  const raw = series?.data ?? [];
  if (!Array.isArray(raw)) throw bad(`the ${dataType} series has no data array`);
  if (raw.length > MAX_STATISTICS_POINTS) {
    throw bad(`the ${dataType} series has ${raw.length} points, more than OMS's ${MAX_STATISTICS_POINTS}`);
  }
  const points: StatisticsPoint[] = [];
  let sum = 0;
  for (const [i, p] of raw.entries()) {
    const point = (p && typeof p === "object" ? p : {}) as { time_stamp?: unknown; statistic_num?: unknown };
    const time = count(point.time_stamp);
    const value = count(point.statistic_num);
    if (time === undefined || value === undefined) {
      throw bad(`point ${i} of the ${dataType} series is not a time_stamp and statistic_num of non-negative integers`);
    }
    sum += value;
    points.push({ time, value });
  }
  if (!Number.isSafeInteger(sum)) throw bad(`the ${dataType} series sums past what can be counted exactly (2^53)`);
  const interval = shapedValue(w.statistic_time_type, STATUS_SHAPE);
  return compact({ syncTaskId: taskId, dataType, interval, points, sum });
}
