// What the client keeps of one call (the spec it builds) and on each axios request beside axios's own settings. Declared here, not merged into axios's
// types, so that installing this package never changes what axios's types mean in a user's program.
import type { AxiosRequestConfig } from "axios";
import type { OmsOperation } from "../errors/oms-error";

/** An axios request config with the client's per-request and per-attempt state. */
export type OmsRequestConfig = AxiosRequestConfig & {
  /** The call's deadline (epoch ms), read on every attempt to size its timeout. */
  omsDeadline?: number;
  /** Ends one attempt, body included, at its timeout. */
  omsAttemptTimer?: NodeJS.Timeout;
  /** Set when that timer cut the attempt off, so the abort reads as a timeout, not a cancellation. */
  omsAttemptTimedOut?: boolean;
};

/** The client's state on a config axios hands back (in a response, an error or an interceptor). */
export function omsState(config: unknown): OmsRequestConfig {
  return (config ?? {}) as OmsRequestConfig;
}

/** One call as the client builds it, before signing and sending. */
export interface RequestSpec {
  operation: OmsOperation;
  taskId?: string;
  method: "GET" | "POST" | "DELETE";
  /** Not safe to repeat (create): retried only when the request surely was not processed. */
  once?: boolean;
  /** Logical path segments below `/v2/{project_id}/sync-tasks`. */
  segments: string[];
  query?: Record<string, string>;
  body?: string;
  deadline?: number;
  /** Set when the request was sent again after an attempt whose answer never came. */
  retried?: { value: boolean };
}
