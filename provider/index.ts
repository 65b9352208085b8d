// `pulumi-oms-sync`: the two resources, the OMS client they are built on, and its one error type.
export { SyncTaskState } from "./resource/sync-task-state/sync-task-state";
export type { SyncTaskStateArgs } from "./resource/sync-task-state/sync-task-state";
export { SyncTask } from "./resource/sync-task/sync-task";
export type { SyncTaskArgs } from "./resource/sync-task/sync-task";
export type { SyncTaskConnectionArgs, SyncTaskCredentialsArgs } from "./resource/shared/args";
export { syncTaskStateProvider } from "./resource/sync-task-state/provider";
export { syncTaskProvider } from "./resource/sync-task/provider";
export type { DesiredState } from "./resource/shared/types";
export { DEFAULT_TIMEOUT_SECONDS } from "./resource/shared/types";
export type { SourceCdn, SyncTaskInputs, SyncTaskOutputs } from "./resource/sync-task/types";
export type { SyncTaskStateInputs, SyncTaskStateOutputs } from "./resource/sync-task-state/types";
export { SyncEvent } from "./resource/sync-event/sync-event";
export type { SyncEventArgs } from "./resource/sync-event/sync-event";
export { syncEventProvider } from "./resource/sync-event/provider";
export type { SyncEventInputs, SyncEventOutputs } from "./resource/sync-event/types";
export { getSyncTasks } from "./resource/functions/get-sync-tasks";
export type { GetSyncTasksArgs, GetSyncTasksResult, SyncTaskSummary } from "./resource/functions/get-sync-tasks";
export { getSyncTaskStatistics } from "./resource/functions/get-sync-task-statistics";
export type {
  GetSyncTaskStatisticsArgs,
  GetSyncTaskStatisticsResult,
} from "./resource/functions/get-sync-task-statistics";

export { OmsClient, DEFAULT_REQUEST_TIMEOUT_MS, LIST_PAGE_SIZE } from "./client/oms-client";
export type { OmsClientOptions, CallOptions, RetryEvent } from "./client/oms-client";
export type {
  ApiAuth,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  StatisticsDataType,
  StatisticsPoint,
  StatisticsQuery,
  SyncEventAnswer,
  SyncTaskDefinition,
  TaskStatistics,
  SyncTaskStatus,
  TransitionResult,
} from "./client/types";
export { DEFINITION_FIELDS } from "./client/definition";
export type { DefinitionField, DefinitionKey } from "./client/definition";
export { SYNC_TASK_QUOTA } from "./client/limits";
export { DEFAULT_RETRY_OPTIONS } from "./client/retry";
export type { RetryOptions } from "./client/retry";
export { SYNC_TASK_REGIONS, defaultEndpoint } from "./client/endpoint";
export { OmsError } from "./errors/oms-error";
export type { OmsErrorCode, OmsOperation } from "./errors/oms-error";

/**
 * The SyncTaskState lifecycle the serialized provider loads by name (the name is stored in existing stacks' state and
 * must not change). Not for programs: use {@link SyncTaskState}.
 */
export * as lifecycle from "./resource/sync-task-state/lifecycle";
/** The SyncTask lifecycle the serialized provider loads by name (stored in state too). Not for programs: use {@link SyncTask}. */
export * as taskLifecycle from "./resource/sync-task/lifecycle";
/** The SyncEvent lifecycle the serialized provider loads by name (stored in state too). Not for programs: use {@link SyncEvent}. */
export * as eventLifecycle from "./resource/sync-event/lifecycle";
