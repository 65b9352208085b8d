import * as pulumi from "@pulumi/pulumi";
import { syncTaskStateProvider } from "./sync-task-state-provider";
import { TaskResource, type SameKeys } from "./task-resource";
import { SYNC_TASK_STATE } from "../core/sync-task-state/descriptor";
import type { SyncTaskConnectionArgs } from "./args";
import type { DesiredState } from "../core/types";

/** Inputs of a {@link SyncTaskState}. */
export interface SyncTaskStateArgs extends SyncTaskConnectionArgs {
  /** Id of an existing OMS sync task (1–255 chars). A change replaces the resource. */
  syncTaskId: pulumi.Input<string>;
  /** `"started"` or `"paused"`. A change starts or stops the task. */
  state: pulumi.Input<DesiredState>;
  /**
   * The KMS key id the task was created with for the source keys (36 characters), if any. OMS never shows it, and
   * every start must repeat it: declare it for a task created with KMS. A change takes effect at the next start.
   */
  srcKmsKeyId?: pulumi.Input<string>;
  /** As `srcKmsKeyId`, for the destination keys. */
  dstKmsKeyId?: pulumi.Input<string>;
  /** As `srcKmsKeyId`, for the CDN source's authentication key. */
  sourceCdnKmsKeyId?: pulumi.Input<string>;
}

/**
 * The running state of an existing OMS sync task: `pulumi up` starts or pauses it until OMS shows `SYNCHRONIZING`
 * or `STOPPED`. Destroying the resource leaves the task as it is. The resource id is the sync task id.
 */
export class SyncTaskState extends TaskResource {
  /**
   * Reads an existing task's running state without managing it: `pulumi up` neither starts nor stops it, and
   * `pulumi destroy` forgets it. Connection settings come from `oms:*` config, as for a managed resource.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SyncTaskState {
    return new SyncTaskState(name, { syncTaskId: id, state: undefined as never }, { ...opts, id });
  }

  constructor(name: string, args: SyncTaskStateArgs, opts?: pulumi.CustomResourceOptions) {
    super(syncTaskStateProvider, SYNC_TASK_STATE, name, args, opts);
  }
}

/** Every input of the descriptor is in {@link SyncTaskStateArgs}, and nothing else. */
export const ARGS_MATCH: SameKeys<keyof SyncTaskStateArgs, keyof typeof SYNC_TASK_STATE.inputs> = true;
