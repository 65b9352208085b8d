import type { KmsKeys, StartKeys, SyncTaskDefinition } from "../client/types";

/** The two running states a {@link SyncTaskState} can hold. */
export type DesiredState = "started" | "paused";

/** Resolved inputs, as `check` returns them and the engine stores them. */
export interface SyncTaskStateInputs extends KmsKeys {
  syncTaskId: string;
  state: DesiredState;
  projectId: string;
  region?: string;
  endpoint?: string;
  /** Per-resource start keys; stored only as a secret. */
  credentials?: Partial<StartKeys>;
  timeoutSeconds: number;
}

/** Outputs: the inputs plus what OMS last reported. */
export interface SyncTaskStateOutputs extends SyncTaskStateInputs {
  /** `SYNCHRONIZING` or `STOPPED`, as OMS last reported it. */
  status: string;
  /** ISO 8601, when OMS reports a last start. */
  lastStartTime?: string;
}

/** Default for `timeoutSeconds`: how long create/update wait for OMS to show the desired status. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** The most `timeoutSeconds` may be: one day. */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** The status OMS shows for each desired state. */
export const STATUS_FOR: Record<DesiredState, string> = { started: "SYNCHRONIZING", paused: "STOPPED" };

/** The placeholder the engine sends in a preview for a value not yet known. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The source clouds OMS syncs from (`src_cloud_type`). */
export const SRC_CLOUD_TYPES = [
  "AWS",
  "Azure",
  "Aliyun",
  "Tencent",
  "HuaweiCloud",
  "QingCloud",
  "KingsoftCloud",
  "Baidu",
  "Qiniu",
  "UCloud",
] as const;
/** Storage classes of the destination (`dst_storage_policy`). */
export const DST_STORAGE_POLICIES = ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"] as const;
/** How OMS decides an object needs syncing again (`consistency_check`). */
export const CONSISTENCY_CHECKS = ["size_last_modified", "crc64", "transmission"] as const;
/** CDN authentication schemes (`source_cdn.authentication_type`). */
export const CDN_AUTHENTICATION_TYPES = [
  "NONE",
  "QINIU_PRIVATE_AUTHENTICATION",
  "ALIYUN_OSS_A",
  "ALIYUN_OSS_B",
  "ALIYUN_OSS_C",
  "KSYUN_PRIVATE_AUTHENTICATION",
  "AZURE_SAS_TOKEN",
  "TENCENT_COS_A",
  "TENCENT_COS_B",
  "TENCENT_COS_C",
  "TENCENT_COS_D",
] as const;

/** Where a SyncTask's CDN source is. Its authentication key is a start key (`credentials`). */
export interface SourceCdn {
  domain: string;
  protocol: "http" | "https";
  authenticationType: (typeof CDN_AUTHENTICATION_TYPES)[number];
}

/** Resolved inputs of a SyncTask, as `check` returns them and the engine stores them: its definition, and more. */
export interface SyncTaskInputs extends SyncTaskDefinition {
  sourceCdn?: SourceCdn;
  state: DesiredState;
  /** Adopt this existing task instead of creating one. */
  syncTaskId?: string;
  projectId: string;
  region?: string;
  endpoint?: string;
  credentials?: Partial<StartKeys>;
  timeoutSeconds: number;
}

/** Outputs of a SyncTask: the inputs plus what OMS reports. */
export interface SyncTaskOutputs extends SyncTaskInputs {
  syncTaskId: string;
  status: string;
  /** ISO 8601. */
  createTime?: string;
  /** ISO 8601, after the first start. */
  lastStartTime?: string;
  monthlyAcceptanceRequest?: number;
  monthlySuccessObject?: number;
  monthlyFailureObject?: number;
  monthlySkipObject?: number;
  /** Bytes synced this month. */
  monthlySize?: number;
  objectOverwriteMode?: string;
}

/** The outputs a SyncTask has besides its inputs; the class declares them, the lifecycle fills them. */
export const SYNC_TASK_OUTPUT_KEYS = [
  "syncTaskId",
  "status",
  "createTime",
  "lastStartTime",
  "monthlyAcceptanceRequest",
  "monthlySuccessObject",
  "monthlyFailureObject",
  "monthlySkipObject",
  "monthlySize",
  "objectOverwriteMode",
  "startKeysDigest",
] as const;
