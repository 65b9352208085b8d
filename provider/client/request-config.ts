// What the client keeps on each axios request beside axios's own settings. Declared here, not merged into axios's
// types, so that installing this package never changes what axios's types mean in a user's program.
import type { AxiosRequestConfig } from "axios";

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
