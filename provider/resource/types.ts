import type { StartKeys } from "../client/types";

/** The two running states a {@link SyncTaskState} can hold. */
export type DesiredState = "started" | "paused";

/** Resolved inputs, as `check` returns them and the engine stores them. */
export interface SyncTaskStateInputs {
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
