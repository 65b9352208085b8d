// `pulumi-oms-sync`: the resources and functions for Node.js programs (the dynamic door), the OMS client they are
// built on, its one error type, and the lifecycles the serialized providers load by name.
export { SyncTaskState } from "./dynamic/sync-task-state";
export type { SyncTaskStateArgs } from "./dynamic/sync-task-state";
export { SyncTask } from "./dynamic/sync-task";
export type { SyncTaskArgs } from "./dynamic/sync-task";
export type { SyncTaskConnectionArgs, SyncTaskCredentialsArgs } from "./dynamic/args";
export { syncTaskStateProvider } from "./dynamic/sync-task-state-provider";
export { syncTaskProvider } from "./dynamic/sync-task-provider";
export type { DesiredState } from "./core/types";
export { DEFAULT_TIMEOUT_SECONDS } from "./core/types";
export type { SourceCdn, SyncTaskInputs, SyncTaskOutputs } from "./core/sync-task/types";
export type { SyncTaskStateInputs, SyncTaskStateOutputs } from "./core/sync-task-state/types";
export { SyncEvent } from "./dynamic/sync-event";
export type { SyncEventArgs } from "./dynamic/sync-event";
export { syncEventProvider } from "./dynamic/sync-event-provider";
export type { SyncEventInputs, SyncEventOutputs } from "./core/sync-event/types";
export { getSyncTasks, getSyncTaskStatistics } from "./dynamic/functions";
export type { GetSyncTasksArgs, GetSyncTasksResult, SyncTaskSummary } from "./core/functions/get-sync-tasks";
export type { GetSyncTaskStatisticsArgs, GetSyncTaskStatisticsResult } from "./core/functions/get-sync-task-statistics";

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
 * The lifecycles the serialized providers load by name: `lifecycle` (SyncTaskState), `taskLifecycle` (SyncTask) and
 * `eventLifecycle` (SyncEvent). The names are stored in existing stacks' state and must not change. Not for programs:
 * use the resources.
 */
export { stateLifecycle as lifecycle, taskLifecycle, eventLifecycle } from "./dynamic/lifecycles";
