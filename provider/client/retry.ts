import type { AxiosError } from "axios";
import { failureKind } from "./axios-error";

/** How transient failures are retried. Every field is optional where it is accepted; defaults below. */
export interface RetryOptions {
  /** Retries after the first attempt. Default {@link DEFAULT_RETRIES}. */
  retries: number;
  /** First backoff, before jitter, in ms; it doubles per retry. Default {@link DEFAULT_RETRY_BASE_DELAY_MS}. */
  baseDelayMs: number;
  /** Cap on one backoff, in ms. Default {@link DEFAULT_RETRY_MAX_DELAY_MS}. */
  maxDelayMs: number;
  /** Cap on how long a `Retry-After` is honoured, in ms. Default {@link DEFAULT_MAX_RETRY_AFTER_MS}. */
  maxRetryAfterMs: number;
}

/** Five retries ride out a gateway's brief outage and a burst of throttling. */
export const DEFAULT_RETRIES = 5;
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;
/** A minute is the most a deployment should sit on one throttled call; the operation deadline may cut it shorter. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** The defaults, in one place. */
export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  retries: DEFAULT_RETRIES,
  baseDelayMs: DEFAULT_RETRY_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
/** Network error codes that will not go away by asking again. */
const PERMANENT_NETWORK_CODES = new Set(["ENOTFOUND", "ERR_CANCELED", "ERR_INVALID_URL", "CERT_HAS_EXPIRED"]);

/**
 * Whether a failed request may be sent again unchanged.
 *
 * Retrying `start` (a POST) is safe only because a start that already took effect answers `OMS.0065` ("task
 * already started"), which the client reports as "already" rather than as an error; likewise `stop` answers
 * `OMS.0066`. Without that, a lost response would turn a retry into a user-visible failure.
 */
export function isTransientFailure(error: AxiosError): boolean {
  const kind = failureKind(error);
  // Our own per-attempt deadline cut it off: the next attempt may be answered in time.
  if (kind === "timeout") return true;
  // An answer over the size cap is not OMS; asking again brings the same.
  if (kind === "too-large") return false;
  const status = error.response?.status;
  if (kind !== "http" || status === undefined) {
    // No (complete) response: reset, refused, or a body cut off. Retry, unless the cause cannot heal (DNS miss,
    // bad URL, cancelled, bad certificate).
    return !PERMANENT_NETWORK_CODES.has(error.code ?? "");
  }
  // The gateway throttles; Retry-After says when to come back.
  if (status === 429) return true;
  // Server and gateway faults that are transient by definition.
  if (TRANSIENT_STATUSES.has(status)) return true;
  // Any other 4xx/5xx fails the same way if sent again.
  return false;
}

/**
 * Whether a failed request surely did not reach OMS, so that even a request that is not safe to repeat (create)
 * may be sent again: the gateway throttled it (429), or the connection was refused before anything was sent.
 * Anything else (a reset, a timeout, a 5xx) may have been processed.
 */
export function wasNotProcessed(error: AxiosError): boolean {
  return error.response?.status === 429 || (!error.response && error.code === "ECONNREFUSED");
}

/**
 * Backoff before retry number `retryNumber` (1-based): exponential from `baseDelayMs`, capped at `maxDelayMs`,
 * with "equal jitter" (half fixed, half random) so that many clients throttled together do not return together.
 * A `Retry-After` (already in ms) is honoured as a floor, up to `maxRetryAfterMs`, plus up to half a backoff step of
 * jitter: clients throttled in the same second must not all come back in the same millisecond.
 */
export function retryDelayMs(
  retryNumber: number,
  retryAfterMs: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const spread = random();
  const retryAfter = Math.min(retryAfterMs, options.maxRetryAfterMs);
  if (retryAfter > 0) return Math.round(Math.max(exponential, retryAfter) + (spread * exponential) / 2);
  return Math.round(exponential / 2 + (spread * exponential) / 2);
}

/** A short, credential-free description of why a request failed, for retry logs. */
export function describeFailure(error: AxiosError): string {
  const kind = failureKind(error);
  if (kind === "timeout") return "timeout";
  if (kind === "http" && error.response) return `HTTP ${error.response.status}`;
  return /^[A-Z0-9_]{1,40}$/.test(error.code ?? "") ? (error.code as string) : "network error";
}
