// What both resources' resolved inputs share, and the constants of running state and time.
import type { StartKeys } from "../client/types";

/** The two running states a resource can hold. */
export type DesiredState = "started" | "paused";

/** Resolved connection inputs both resources store: where the task lives, how long to wait, which keys to send. */
export interface ConnectionInputs {
  state: DesiredState;
  projectId: string;
  region?: string;
  endpoint?: string;
  /** Per-resource start keys; stored only as a secret. */
  credentials?: Partial<StartKeys>;
  timeoutSeconds: number;
}

/** The output that holds the digest of the start keys last sent: always a secret (see the descriptors). */
export const DIGEST_OUTPUT = "startKeysDigest";

/** Default for `timeoutSeconds`: how long create/update wait for OMS to show the desired status. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** The most `timeoutSeconds` may be: one day. */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** The status OMS shows for each desired state. */
export const STATUS_FOR: Record<DesiredState, string> = { started: "SYNCHRONIZING", paused: "STOPPED" };
/** What a convergence did before it returned or failed. */
export interface Progress {
  /** The start or stop requests sent (or attempted: a lost answer may still have reached OMS), in order. */
  sent: ("start" | "stop")[];
  /** The status OMS showed last. */
  lastStatus?: string;
  /**
   * An earlier start or stop that OMS is taken to be still carrying out: it answered this operation's opposite call
   * "already", and the time ran out before it showed the earlier call done. Recorded as a request in flight.
   */
  underWay?: "start" | "stop";
}

/** A fresh {@link Progress}. */
export const noProgress = (): Progress => ({ sent: [] });
