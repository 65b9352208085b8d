// The settings an OmsClient takes, per client and per call, and what it reports on a retry.
import type { OmsOperation } from "../errors/oms-error";
import type { RetryOptions } from "./retry";
import type { ApiAuth } from "./types";

/** What a retry looked like, for progress logs. Never holds request data. */
export interface RetryEvent {
  operation: OmsOperation;
  taskId?: string;
  /** 1 for the first retry. */
  retryNumber: number;
  delayMs: number;
  /** e.g. `HTTP 503` or `ECONNRESET`. */
  reason: string;
}

/** Settings of an `OmsClient`. */
export interface OmsClientOptions {
  /** Project the tasks live in (1–1024 chars). */
  projectId: string;
  /** Region; used for the default endpoint. */
  region?: string;
  /** Overrides `https://oms.{region}.myhuaweicloud.com`. `http://` only to a loopback host. */
  endpoint?: string;
  auth: ApiAuth;
  /** Per-request timeout in ms. Default `DEFAULT_REQUEST_TIMEOUT_MS` (30 s). */
  requestTimeoutMs?: number;
  /** Retry policy; each field defaults as in `DEFAULT_RETRY_OPTIONS`. */
  retry?: Partial<RetryOptions>;
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void;
}

/** Per-call options. */
export interface CallOptions {
  /**
   * Epoch ms after which no retry starts. Each attempt's timeout is also cut to the time left (but not below
   * `MIN_REQUEST_TIMEOUT_MS` (1 s)), so a call outlives its deadline by at most that.
   */
  deadline?: number;
}
