// The emulator's public shapes: operations, faults, seeds, tasks as it holds them, logged requests, options.
import type * as http from "http";
import type { AkSkCredential } from "./aksk-verifier";
import type { TaskCrypto } from "./crypto";

export type Operation = "create" | "list" | "show" | "start" | "stop" | "delete" | "statistics" | "events";
/** What a statistics series counts; `SIZE` is bytes. */
export type DataType = "REQUEST" | "SUCCESS" | "FAILURE" | "SKIP" | "SIZE";

/** Objects a task handled at a time: what its statistics are summed from. */
export interface TrafficRecord {
  at: number;
  dataType: DataType;
  value: number;
}
export type Status = "SYNCHRONIZING" | "STOPPED";

/**
 * What OMS does with a start sent while a stop is still being carried out (or a stop while a start is), which its API
 * reference leaves open: `reverses` takes it and turns the task back (its "already" answers judge the pending
 * target); `refused-until-done` judges from the status it shows, so it answers OMS.0065 (already started) or
 * OMS.0066 (not in progress) until the pending change is done, and that change then completes.
 */
export type OpposingCall = "reverses" | "refused-until-done";

/** A fault the emulator plays instead of (or after) the real answer. */
export type Fault =
  /** A fixed answer. In `body` and header values, `{{name}}` stands for the request's header `name` (an echo). */
  | { kind: "status"; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { kind: "throttle"; retryAfter?: string }
  | { kind: "html"; status: number }
  | { kind: "reset" }
  | { kind: "hang" }
  /** Performs the operation, then drops the connection: the effect happens, the answer is lost. */
  | { kind: "apply-then-reset" }
  /** Sends the headers, then one byte of body every `intervalMs`, never ending. */
  | { kind: "drip"; status?: number; intervalMs: number }
  /** Sends the headers, then body bytes as fast as the client reads them, never ending. */
  | { kind: "endless"; status?: number; contentLength?: number };

export interface FaultRule {
  fault: Fault;
  /** Only requests for this operation; any when absent. */
  operation?: Operation;
  /** Only this task id. */
  taskId?: string;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
  /** Matching requests to let through before it applies. Default 0. */
  after?: number;
}

export interface TaskSeed {
  id?: string;
  projectId: string;
  status?: Status;
  /** The keys a start must carry for this task. */
  keys?: { srcAk: string; srcSk: string; dstAk: string; dstSk: string; cdnKey?: string };
  /** A completed task answers OMS.0070 to start and stop. */
  completed?: boolean;
  srcBucket?: string;
  dstBucket?: string;
  description?: string;
  lastStartTime?: number;
  /** Any other definition fields, on the wire (snake_case), e.g. `src_cloud_type`. */
  definition?: Record<string, unknown>;
  /** KMS key ids the task was created with (36 characters each); every start must repeat them. */
  kms?: { srcKmsKeyId?: string; dstKmsKeyId?: string; sourceCdnKmsKeyId?: string };
  /** This task's answer to an opposing call during a change; the emulator's `opposingCall` when absent. */
  opposingCall?: OpposingCall;
}

export interface EmulatedTask {
  id: string;
  projectId: string;
  status: Status;
  pending?: { target: Status; at: number };
  keys: { srcAk: string; srcSk: string; dstAk: string; dstSk: string; cdnKey?: string };
  completed: boolean;
  srcBucket: string;
  dstBucket: string;
  description: string;
  /** The definition as create received it (snake_case, keys and encryption removed), shown back by show and list. */
  definition: Record<string, unknown>;
  /** How OMS protects the task's keys, fixed at create; show and list never report it. */
  crypto: TaskCrypto;
  createTime: number;
  lastStartTime?: number;
  /** The keys OMS runs the task with: those of the last start (or the create). */
  runningKeys?: { srcAk: string; srcSk: string; dstAk: string; dstSk: string; cdnKey?: string };
  /** Starts that took effect (a repeated start answered OMS.0065 does not count). */
  effectiveStarts: number;
  effectiveStops: number;
  /** This task's answer to an opposing call during a change; the emulator's `opposingCall` when absent. */
  opposingCall?: OpposingCall;
  /** The counters behind the statistics call, one record per change. */
  traffic: TrafficRecord[];
  /** Sync events accepted, each with its object keys as OMS decoded them. */
  events: { at: number; objectKeys: string[] }[];
}

export interface LoggedRequest {
  method: string;
  url: string;
  operation?: Operation;
  projectId?: string;
  taskId?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** HTTP status sent, or `reset` / `hang`. */
  outcome: number | "reset" | "hang";
  /** When the request arrived, on the emulator's clock (ms). */
  at: number;
  fault?: Fault["kind"];
  /** The `X-Request-Id` answered, when an answer was sent. */
  requestId?: string;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Accepted `X-Auth-Token` values. */
  tokens?: string[];
  /** Accepted AK/SK pairs. */
  credentials?: AkSkCredential[];
  /** Time before an accepted start or stop shows in `status`, in ms. Default 0. */
  transitionDelayMs?: number;
  /**
   * A start during a pending stop, or a stop during a pending start: `reverses` (the default, what the emulator has
   * always done) or `refused-until-done`. See {@link OpposingCall}.
   */
  opposingCall?: OpposingCall;
  /** Added before every answer, in ms. Default 0. */
  latencyMs?: number;
  /** How an unknown task answers: 404, or 400 with OMS.1009. Default 404. */
  missingTask?: 404 | 400;
  /** Sync tasks the account may hold, counted over all projects, as OMS does. Default 5. */
  maxTasksPerAccount?: number;
  /** @deprecated The quota is per account: use `maxTasksPerAccount` (this is read as that). */
  maxTasksPerProject?: number;
  /** The emulator's clock, for skew tests. */
  now?: () => number;
  /** Requests answered per one-second window before the gateway answers 429 with `Retry-After: 1`. 0: no limit. */
  throttlePerSecond?: number;
}
