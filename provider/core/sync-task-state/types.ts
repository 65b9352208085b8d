import type { KmsKeys } from "../../client/types";
import type { ConnectionInputs } from "../types";

/** Resolved inputs, as `check` returns them and the engine stores them. */
export interface SyncTaskStateInputs extends ConnectionInputs, KmsKeys {
  syncTaskId: string;
}

/** Outputs: the inputs plus what OMS last reported. */
export interface SyncTaskStateOutputs extends SyncTaskStateInputs {
  /** `SYNCHRONIZING` or `STOPPED`, as OMS last reported it. */
  status: string;
  /** ISO 8601, when OMS reports a last start. */
  lastStartTime?: string;
}
