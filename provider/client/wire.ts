// What goes on the wire: the bodies the client sends and the answers it accepts, each checked against its
// documented shape. Anything of another shape is refused (`CONFIG_ERROR`) or reported (`INVALID_RESPONSE`).
import { OmsError, type OmsOperation } from "../errors/oms-error";
import { rememberSecrets, shapedValue } from "../errors/redact";
import { compact } from "../utils/compact";
import type {
  CreateSyncTaskBody,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  StartSyncTaskBody,
  SyncTaskDefinition,
  SyncTaskWire,
} from "./types";
import { configError, CONTROL_CHARACTER, invalidResponse, KMS_KEY_ID_SHAPE, taskIdProblem } from "./validate";

/** Start-call keys: 1–100 chars each; the CDN key up to 255. */
const MAX_KEY_CHARS = 100;
const MAX_CDN_KEY_CHARS = 255;

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

/** The KMS fields of a create or start: each key id set means its `*_crypto_type` is `KMS`. */
export function kmsFields(kms: KmsKeys | undefined, operation: OmsOperation): Partial<StartSyncTaskBody> {
  const out: Partial<StartSyncTaskBody> = {};
  const pairs = [
    ["srcKmsKeyId", "src_crypto_type", "src_kms_key_id"],
    ["dstKmsKeyId", "dst_crypto_type", "dst_kms_key_id"],
    ["sourceCdnKmsKeyId", "source_cdn_crypto_type", "source_cdn_kms_key_id"],
  ] as const;
  for (const [name, typeField, idField] of pairs) {
    const id = kms?.[name];
    if (id === undefined) continue;
    if (typeof id !== "string" || !KMS_KEY_ID_SHAPE.test(id)) {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation,
        reason: `${name} must be a KMS key id (36 characters: letters, digits and -)`,
      });
    }
    out[typeField] = "KMS";
    out[idField] = id;
  }
  return out;
}

/** The create body, in the order Huawei's SDK sends it; the definition's shape was checked by the resource. */
export function createBody(d: SyncTaskDefinition, keys: StartKeys): CreateSyncTaskBody {
  if (!d || typeof d !== "object") throw configError("the task definition must be an object");
  for (const field of ["srcRegion", "srcBucket", "dstRegion", "dstBucket"] as const) {
    if (typeof d[field] !== "string" || d[field] === "" || CONTROL_CHARACTER.test(d[field])) {
      throw new OmsError({ code: "CONFIG_ERROR", operation: "create", reason: `${field} must be a non-empty string` });
    }
  }
  const start = startBody(keys, "create");
  const kms = kmsFields(d, "create");
  const cdn = d.sourceCdn;
  return compact({
    src_cloud_type: d.srcCloudType,
    src_region: d.srcRegion,
    src_bucket: d.srcBucket,
    src_ak: start.src_ak,
    src_sk: start.src_sk,
    src_crypto_type: kms.src_crypto_type,
    src_kms_key_id: kms.src_kms_key_id,
    dst_ak: start.dst_ak,
    dst_sk: start.dst_sk,
    dst_crypto_type: kms.dst_crypto_type,
    dst_kms_key_id: kms.dst_kms_key_id,
    dst_region: d.dstRegion,
    dst_bucket: d.dstBucket,
    description: d.description,
    enable_metadata_migration: d.enableMetadataMigration,
    enable_restore: d.enableRestore,
    dst_storage_policy: d.dstStoragePolicy,
    app_id: d.appId,
    source_cdn: cdn
      ? compact({
          domain: cdn.domain,
          protocol: cdn.protocol,
          authentication_type: cdn.authenticationType,
          authentication_key: start.source_cdn_authentication_key,
          crypto_type: kms.source_cdn_crypto_type,
          kms_key_id: kms.source_cdn_kms_key_id,
        })
      : undefined,
    consistency_check: d.consistencyCheck,
  });
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
  const task: OmsSyncTask = {
    syncTaskId: id ?? taskId ?? "",
    status,
    srcCloudType: str(w.src_cloud_type),
    srcRegion: str(w.src_region),
    srcBucket: str(w.src_bucket),
    dstRegion: str(w.dst_region),
    dstBucket: str(w.dst_bucket),
    description: str(w.description),
    createTime: time(w.create_time),
    lastStartTime: time(w.last_start_time),
    enableMetadataMigration: bool(w.enable_metadata_migration),
    enableRestore: bool(w.enable_restore),
    appId: str(w.app_id),
    sourceCdn: cdn
      ? { domain: str(cdn.domain), protocol: str(cdn.protocol), authenticationType: str(cdn.authentication_type) }
      : undefined,
    objectOverwriteMode: str(w.object_overwrite_mode),
    dstStoragePolicy: str(w.dst_storage_policy),
    consistencyCheck: str(w.consistency_check),
    monthlyAcceptanceRequest: num(w.monthly_acceptance_request),
    monthlySuccessObject: num(w.monthly_success_object),
    monthlyFailureObject: num(w.monthly_failure_object),
    monthlySkipObject: num(w.monthly_skip_object),
    monthlySize: num(w.monthly_size),
  };
  return compact(task);
}
