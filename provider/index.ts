export { OmsClient, DEFAULT_REQUEST_TIMEOUT_MS, LIST_PAGE_SIZE } from "./client/oms-client";
export type { OmsClientOptions, CallOptions, RetryEvent } from "./client/oms-client";
export type {
  ApiAuth,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  SyncTaskDefinition,
  SyncTaskStatus,
  TransitionResult,
} from "./client/types";
export { DEFAULT_RETRY_OPTIONS } from "./client/retry";
export type { RetryOptions } from "./client/retry";
export { SYNC_TASK_REGIONS, defaultEndpoint } from "./client/endpoint";
export { OmsError } from "./errors/oms-error";
export type { OmsErrorCode, OmsOperation } from "./errors/oms-error";
export { SyncTaskState } from "./resource/sync-task-state";
export type { SyncTaskConnectionArgs, SyncTaskCredentialsArgs, SyncTaskStateArgs } from "./resource/sync-task-state";
export { syncTaskStateProvider } from "./resource/sync-task-state-provider";
export { SyncTask } from "./resource/sync-task";
export type { SyncTaskArgs } from "./resource/sync-task";
export { syncTaskProvider } from "./resource/sync-task-provider";
export type {
  DesiredState,
  SourceCdn,
  SyncTaskInputs,
  SyncTaskOutputs,
  SyncTaskStateInputs,
  SyncTaskStateOutputs,
} from "./resource/types";
export { DEFAULT_TIMEOUT_SECONDS } from "./resource/types";
/**
 * The SyncTaskState lifecycle the serialized provider loads by name (the name is stored in existing stacks' state and
 * must not change). Not for programs: use {@link SyncTaskState}.
 */
export * as lifecycle from "./resource/sync-task-state-lifecycle";
/** The SyncTask lifecycle the serialized provider loads by name. Not for programs: use {@link SyncTask}. */
export * as taskLifecycle from "./resource/sync-task-lifecycle";
