/** A SyncEvent's checked inputs. */
export interface SyncEventInputs {
  syncTaskId: string;
  objectKeys: string[];
  triggers?: unknown[];
  projectId: string;
  region?: string;
  endpoint?: string;
}

/** A SyncEvent's outputs: its inputs and what OMS answered the request. */
export interface SyncEventOutputs extends SyncEventInputs {
  /** The HTTP status OMS answered (2xx). */
  status: number;
  /** The gateway's request id, for a support ticket. */
  requestId?: string;
  /** When the request was sent (ISO 8601). */
  sentAt: string;
}
