/** How the client authenticates to the OMS API. */
export type ApiAuth =
  | {
      /** `SDK-HMAC-SHA256` request signing (recommended by Huawei Cloud). */
      type: "aksk";
      accessKey: string;
      secretKey: string;
      /** Sent as `X-Security-Token` with temporary credentials. */
      securityToken?: string;
    }
  | {
      /** An IAM token, sent as `X-Auth-Token`. */
      type: "token";
      token: string;
    };

/** The keys OMS needs in the body of a start call, for the source and destination buckets. */
export interface StartKeys {
  srcAk: string;
  srcSk: string;
  dstAk: string;
  dstSk: string;
  sourceCdnAuthenticationKey?: string;
}

/** OMS sync-task status. Only these two are documented; others are passed through as OMS reports them. */
export type SyncTaskStatus = "SYNCHRONIZING" | "STOPPED" | (string & {});

/** A sync task as OMS reports it, in camelCase. Timestamps are Unix milliseconds. No credential is ever returned. */
export interface OmsSyncTask {
  syncTaskId: string;
  status: SyncTaskStatus;
  srcCloudType?: string;
  srcRegion?: string;
  srcBucket?: string;
  dstRegion?: string;
  dstBucket?: string;
  description?: string;
  createTime?: number;
  lastStartTime?: number;
  enableMetadataMigration?: boolean;
  enableRestore?: boolean;
  appId?: string;
  sourceCdn?: { domain?: string; protocol?: string; authenticationType?: string };
  objectOverwriteMode?: string;
  dstStoragePolicy?: string;
  consistencyCheck?: string;
  monthlyAcceptanceRequest?: number;
  monthlySuccessObject?: number;
  monthlyFailureObject?: number;
  monthlySkipObject?: number;
  monthlySize?: number;
}

/** Sync task fields on the wire (snake_case), as far as this client reads them. */
export interface SyncTaskWire {
  sync_task_id?: unknown;
  status?: unknown;
  src_cloud_type?: unknown;
  src_region?: unknown;
  src_bucket?: unknown;
  dst_region?: unknown;
  dst_bucket?: unknown;
  description?: unknown;
  create_time?: unknown;
  last_start_time?: unknown;
  enable_metadata_migration?: unknown;
  enable_restore?: unknown;
  app_id?: unknown;
  source_cdn?: { domain?: unknown; protocol?: unknown; authentication_type?: unknown } | null;
  object_overwrite_mode?: unknown;
  dst_storage_policy?: unknown;
  consistency_check?: unknown;
  monthly_acceptance_request?: unknown;
  monthly_success_object?: unknown;
  monthly_failure_object?: unknown;
  monthly_skip_object?: unknown;
  monthly_size?: unknown;
}

/** The start call's body on the wire. */
export interface StartSyncTaskBody {
  src_ak: string;
  src_sk: string;
  dst_ak: string;
  dst_sk: string;
  source_cdn_authentication_key?: string;
  src_crypto_type?: "KMS";
  src_kms_key_id?: string;
  dst_crypto_type?: "KMS";
  dst_kms_key_id?: string;
  source_cdn_crypto_type?: "KMS";
  source_cdn_kms_key_id?: string;
}

/** KMS keys a task's objects are encrypted with; each one set makes the matching `*_crypto_type` `KMS`. */
export interface KmsKeys {
  srcKmsKeyId?: string;
  dstKmsKeyId?: string;
  sourceCdnKmsKeyId?: string;
}

/** What a sync task is: everything create takes but the keys. OMS has no call that changes it later. */
export interface SyncTaskDefinition extends KmsKeys {
  /** Source cloud; OMS defaults to Aliyun. */
  srcCloudType?: string;
  srcRegion: string;
  srcBucket: string;
  dstRegion: string;
  dstBucket: string;
  description?: string;
  enableMetadataMigration?: boolean;
  enableRestore?: boolean;
  dstStoragePolicy?: string;
  consistencyCheck?: string;
  /** Tencent APPID; required when the source is Tencent. */
  appId?: string;
  sourceCdn?: { domain: string; protocol: string; authenticationType: string };
}

/** The create call's body on the wire, built field by field from the definition table (`definition.ts`). */
export type CreateSyncTaskBody = Record<string, unknown>;

/** What a start or stop call found: it changed the task, or OMS said the task was already in that state. */
export type TransitionResult = "requested" | "already";

/** What a statistics series counts: objects asked for, synchronized, failed or skipped, or the bytes synchronized. */
export type StatisticsDataType = "REQUEST" | "SUCCESS" | "FAILURE" | "SKIP" | "SIZE";

/** One statistics call: a series of one type between two epoch-millisecond times (end after start). */
export interface StatisticsQuery {
  dataType: StatisticsDataType;
  /** Epoch ms (13 digits). */
  startTime: number;
  /** Epoch ms (13 digits), after `startTime`, at most `MAX_STATISTICS_RANGE_MS` later. */
  endTime: number;
}

/** A point of a statistics series: its time (epoch ms) and value (objects, or bytes for `SIZE`). */
export interface StatisticsPoint {
  time: number;
  value: number;
}

/** A task's statistics series as OMS answered it. */
export interface TaskStatistics {
  syncTaskId: string;
  dataType: StatisticsDataType;
  /** How far apart the points are: `FIVE_MINUTES` or `ONE_HOUR`, as OMS reports it (absent when it does not). */
  interval?: string;
  points: StatisticsPoint[];
  /** The sum of the points' values. */
  sum: number;
}

/** What OMS answered a sync event: it has no body, so the status, the gateway's request id and when it was sent. */
export interface SyncEventAnswer {
  /** The HTTP status (2xx). */
  status: number;
  /** The gateway's `X-Request-Id`, for a support ticket; absent when the gateway sent none. */
  requestId?: string;
  /** Epoch ms at which the accepted request was sent. */
  sentAt: number;
}
