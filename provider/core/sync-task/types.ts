import type { CDN_AUTHENTICATION_TYPES } from "../../client/definition";
import type { SyncTaskDefinition } from "../../client/types";
import type { ConnectionInputs } from "../types";

/** Where a SyncTask's CDN source is. Its authentication key is a start key (`credentials`). */
export interface SourceCdn {
  domain: string;
  protocol: "http" | "https";
  authenticationType: (typeof CDN_AUTHENTICATION_TYPES)[number];
}

/** Resolved inputs of a SyncTask, as `check` returns them and the engine stores them: its definition, and more. */
export interface SyncTaskInputs extends SyncTaskDefinition, ConnectionInputs {
  sourceCdn?: SourceCdn;
  /** Adopt this existing task instead of creating one. */
  syncTaskId?: string;
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
