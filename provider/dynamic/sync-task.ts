import * as pulumi from "@pulumi/pulumi";
import type { SyncTaskConnectionArgs } from "./args";
import { syncTaskProvider } from "./sync-task-provider";
import { TaskResource, type SameKeys } from "./task-resource";
import type { DesiredState } from "../core/types";
import type { SourceCdn } from "../core/sync-task/types";
import { SYNC_TASK } from "../core/sync-task/descriptor";

/** Inputs of a {@link SyncTask}: the task's definition (a change replaces it) and how to run it. */
export interface SyncTaskArgs extends SyncTaskConnectionArgs {
  /** Source region, e.g. `cn-north-4` or the other cloud's region name. */
  srcRegion: pulumi.Input<string>;
  /** Source bucket. */
  srcBucket: pulumi.Input<string>;
  /** Destination (Huawei Cloud OBS) region. */
  dstRegion: pulumi.Input<string>;
  /** Destination bucket. */
  dstBucket: pulumi.Input<string>;
  /**
   * Source cloud: AWS, Azure, Aliyun, Tencent, HuaweiCloud, QingCloud, KingsoftCloud, Baidu, Qiniu or UCloud.
   * Set it: OMS defaults to `Aliyun`.
   */
  srcCloudType?: pulumi.Input<string>;
  /** At most 255 characters, none of `< > ( ) " ' &`. */
  description?: pulumi.Input<string>;
  /** Default false. */
  enableMetadataMigration?: pulumi.Input<boolean>;
  /** Restore archived source objects before syncing. Default false. */
  enableRestore?: pulumi.Input<boolean>;
  /** STANDARD (default), IA, ARCHIVE, DEEP_ARCHIVE or SRC_STORAGE_MAPPING. */
  dstStoragePolicy?: pulumi.Input<string>;
  /** size_last_modified (default), crc64 (Huawei, Aliyun, Tencent sources) or transmission (HTTP sources). */
  consistencyCheck?: pulumi.Input<string>;
  /** The Tencent APPID; required when `srcCloudType` is Tencent. */
  appId?: pulumi.Input<string>;
  /** A CDN in front of the source. Its authentication key is a start key: `credentials.sourceCdnAuthenticationKey`. */
  sourceCdn?: pulumi.Input<{
    domain: pulumi.Input<string>;
    protocol: pulumi.Input<SourceCdn["protocol"]>;
    authenticationType: pulumi.Input<SourceCdn["authenticationType"]>;
  }>;
  /** KMS key the source objects are encrypted with (`src_crypto_type` becomes KMS). */
  srcKmsKeyId?: pulumi.Input<string>;
  /** KMS key to encrypt the destination objects with (`dst_crypto_type` becomes KMS). */
  dstKmsKeyId?: pulumi.Input<string>;
  /** KMS key of the CDN source (`source_cdn_crypto_type` becomes KMS). */
  sourceCdnKmsKeyId?: pulumi.Input<string>;
  /** `"started"` (default) or `"paused"`. A change starts or stops the task. */
  state?: pulumi.Input<DesiredState>;
  /**
   * Adopt this existing task instead of creating one (Pulumi's `import` does not work for dynamic providers). Its
   * definition must match the inputs above; create fails naming each field that differs.
   */
  syncTaskId?: pulumi.Input<string>;
}

/**
 * A whole OMS sync task: `pulumi up` creates it (or adopts an existing one), starts or pauses it and waits until
 * OMS shows it; `pulumi destroy` pauses and deletes it. A change to its definition replaces it, deleting the old
 * task first (OMS allows 5 per account). Keep the task on destroy with Pulumi's `retainOnDelete: true`.
 * The resource id is the sync task id.
 */
export class SyncTask extends TaskResource {
  declare readonly srcRegion: pulumi.Output<string>;
  declare readonly srcBucket: pulumi.Output<string>;
  declare readonly dstRegion: pulumi.Output<string>;
  declare readonly dstBucket: pulumi.Output<string>;
  declare readonly srcCloudType: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** When OMS created the task (ISO 8601). */
  declare readonly createTime: pulumi.Output<string | undefined>;
  /** Requests OMS accepted this month. */
  declare readonly monthlyAcceptanceRequest: pulumi.Output<number | undefined>;
  /** Objects synced this month. */
  declare readonly monthlySuccessObject: pulumi.Output<number | undefined>;
  /** Objects that failed this month. */
  declare readonly monthlyFailureObject: pulumi.Output<number | undefined>;
  /** Objects skipped this month. */
  declare readonly monthlySkipObject: pulumi.Output<number | undefined>;
  /** Bytes synced this month. */
  declare readonly monthlySize: pulumi.Output<number | undefined>;
  /** How OMS decides to overwrite an object at the destination. */
  declare readonly objectOverwriteMode: pulumi.Output<string | undefined>;

  /**
   * Reads an existing task without managing it: its definition, status and this month's counters. `pulumi up`
   * neither changes nor deletes it. Connection settings come from `oms:*` config.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SyncTask {
    return new SyncTask(name, {} as SyncTaskArgs, { ...opts, id });
  }

  constructor(name: string, args: SyncTaskArgs, opts?: pulumi.CustomResourceOptions) {
    super(syncTaskProvider, SYNC_TASK, name, args, opts);
  }
}

/** Every input of the descriptor is in {@link SyncTaskArgs}, and nothing else. */
export const ARGS_MATCH: SameKeys<keyof SyncTaskArgs, keyof typeof SYNC_TASK.inputs> = true;
