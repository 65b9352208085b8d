// What every resource's lifecycle shares in one plugin process: where config comes from (stack config once a door
// handed it over), what the redactor learns from it, tuning for tests and tools, and the OMS client.
import { OmsClient, type RetryEvent } from "../client/oms-client";
import type { RetryOptions } from "../client/retry";
import { OmsError } from "../errors/oms-error";
import { rememberSecrets } from "../errors/redact";
import { compact } from "../utils/compact";
import { isUnknown } from "./values";
import {
  envLookup,
  readConfigString,
  resolveApiAuth,
  SECRET_KEYS,
  type ConfigKey,
  type ConfigLookup,
  type SettingProblem,
} from "./config";

let lookup: ConfigLookup = envLookup();

/** The config source in force: the stack config once `configure` ran, the environment before. */
export function configSource(): ConfigLookup {
  return lookup;
}

/** Tells the redactor every secret `source` holds, in config and in the environment; unreadable ones are skipped. */
function learnConfiguredSecrets(source: ConfigLookup): void {
  for (const key of SECRET_KEYS) {
    for (const read of [(k: ConfigKey) => source.config(k), (k: ConfigKey) => source.env(k)]) {
      try {
        rememberSecrets(read(key));
      } catch {
        // A lookup that throws is reported by the call that needs the key.
      }
    }
  }
}

/** Tells the redactor the start keys in each property bag's `credentials` (inputs, stored outputs). */
function learnCredentials(...bags: unknown[]): void {
  for (const bag of bags) {
    try {
      const credentials = bag && typeof bag === "object" ? (bag as Record<string, unknown>).credentials : undefined;
      if (!credentials || typeof credentials !== "object") continue;
      // A preview's placeholder for a key not known yet is not a key.
      rememberSecrets(...Object.values(credentials).filter((value) => !isUnknown(value)));
    } catch {
      // A hostile object is refused by check; nothing to learn from it.
    }
  }
}

/**
 * Sets where config comes from: each door reads the stack config its own way and hands it here (Pulumi's dynamic
 * plugin through `configure`, the `oms` plugin through Configure; tests and tools too). Secrets arrive in plain text
 * and stay in this process. Every secret value (and each one's environment fallback) is known to the redactor from
 * here on, whatever the first call is: a refresh or a destroy runs `read` or `delete` with no `check` before it.
 */
export function useConfig(next: ConfigLookup): void {
  lookup = next;
  learnConfiguredSecrets(lookup);
}

/** Options for tests and tools; programs never need them. */
export const tuning: {
  onRetry?: (event: RetryEvent) => void;
  /** Multiplies every delay of the poll schedule; tests shrink it. Default 1. */
  pollScale: number;
  /** Replaces the poll schedule (the benchmark compares schedules). */
  pollSchedule?: (elapsedMs: number, pollNumber: number) => number;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
} = {
  pollScale: 1,
};

/** Where a resource's task lives and how to reach it. */
export interface Connection {
  projectId: string;
  region?: string;
  endpoint?: string;
}

/**
 * A client for `connection`, authenticated from `source` (the settings in force by default). Throws `CONFIG_ERROR`
 * naming the problem.
 */
export function clientFor(connection: Connection, taskId?: string, source: ConfigLookup = lookup): OmsClient {
  const { auth, problems } = resolveApiAuth(source);
  if (!auth) throw settingsError(taskId, problems);
  return new OmsClient({
    projectId: connection.projectId,
    region: connection.region,
    endpoint: connection.endpoint,
    auth,
    onRetry: tuning.onRetry,
    retry: tuning.retry,
    requestTimeoutMs: tuning.requestTimeoutMs,
  });
}

/** A `CONFIG_ERROR` that lists each settings problem (which never quotes a secret). */
export function settingsError(taskId: string | undefined, problems: SettingProblem[]): OmsError {
  return new OmsError({
    code: "CONFIG_ERROR",
    operation: "configure",
    taskId,
    reason: problems.map((p) => p.reason).join("; "),
  });
}

/**
 * The connection of stored properties, filled from config and the environment where they lack it, exactly as
 * `check` fills inputs: a `read` from a `get`, or of state written before a key was stored, reaches the configured
 * endpoint and project.
 */
export function storedConnection(props: Record<string, unknown>): Connection {
  const fill = (key: "projectId" | "region" | "endpoint") =>
    typeof props[key] === "string" ? (props[key] as string) : readConfigString(lookup, key, key).value;
  return compact({ projectId: fill("projectId") as string, region: fill("region"), endpoint: fill("endpoint") });
}

/**
 * A lifecycle method that first tells the redactor the `credentials` of every property bag it is given: a call that
 * carries a resource's keys knows them before it sends anything, so a server that echoes one is masked on the first
 * call of a process too (a refresh or a destroy runs no `check` before).
 */
export function learningCredentials<A extends unknown[], R>(
  method: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args: A) => {
    learnCredentials(...args);
    return method(...args);
  };
}

/**
 * True only when OMS itself says the task does not exist (OMS.1009 or OMS.0054, as 404 or 400). Any other 404 (a
 * proxy's page, a wrong base path, an empty body, a gateway code) is an error: dropping the resource on it would
 * silently remove every resource of the stack behind one misconfigured endpoint.
 */
export function isGone(error: unknown): boolean {
  if (!(error instanceof OmsError) || error.code !== "OMS_API_ERROR") return false;
  return error.errorCode === "OMS.1009" || error.errorCode === "OMS.0054";
}
