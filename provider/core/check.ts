// Input checks both resources share: connection settings, state, timeout, credentials and authentication.
import { kmsKeyIdProblem } from "../client/definition";
import { SYNC_TASK_REGIONS, validateEndpoint } from "../client/endpoint";
import type { KmsKeys } from "../client/types";
import { compact } from "../utils/compact";
import {
  CONTROL_CHARACTER,
  MAX_ENDPOINT_CHARS,
  MAX_PROJECT_ID_CHARS,
  MAX_REGION_CHARS,
  MAX_TASK_ID_CHARS,
} from "../client/limits";
import { projectIdProblem, taskIdProblem } from "../client/validate";
import { configSource } from "./settings";
import {
  readConfigString,
  resolveApiAuth,
  resolveStartKeys,
  START_KEY_FIELDS,
  type ConfigLookup,
  type SettingProblem,
} from "./config";
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from "./types";
import { describe, isUnknown } from "./values";
import { inputKeys, outputKeys, type ResourceDescriptor } from "./descriptor";
import type { CheckResult } from "./lifecycle";

/** The result of a check being built: the checked inputs and the failures so far. */
export interface Checking {
  news: Record<string, unknown>;
  inputs: Record<string, unknown>;
  failures: SettingProblem[];
  /** Where settings come from; the provider process's source ({@link configSource}) when absent. */
  lookup?: ConfigLookup;
}

/** The most unknown keys reported one by one; the rest are counted in one more failure. */
export const MAX_UNKNOWN_KEY_FAILURES = 20;

/** What a bag is checked against: the resource's inputs, or a function's arguments. */
export interface KnownKeys {
  /** `input` for a resource, `argument` for a function. */
  kind: "input" | "argument";
  /** The resource or function, as messages name it. */
  of: string;
  keys: string[];
  /** Keys that are no input but may come back (a resource's outputs, echoed by an engine). */
  echoed?: string[];
  /** Quote every unknown key in messages; by default only a long or odd one is. */
  quoteAll?: boolean;
}

/**
 * Fails each key of `c.news` that is not a known key: the first {@link MAX_UNKNOWN_KEY_FAILURES} by name, then one
 * failure that counts the rest.
 */
export function checkKnownKeys(c: Checking, known: KnownKeys): void {
  const { kind, of, keys } = known;
  const unknown = Object.keys(c.news).filter((key) => !keys.includes(key) && !(known.echoed ?? []).includes(key));
  for (const key of unknown.slice(0, MAX_UNKNOWN_KEY_FAILURES)) {
    // A plain name as it is; a long or odd one quoted and shortened.
    const name = !known.quoteAll && /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : describe(key);
    c.failures.push({
      property: known.quoteAll ? key : name,
      reason: `${name} is not an ${kind} of ${of}; ${kind}s are ${keys.join(", ")}`,
    });
  }
  const more = unknown.length - MAX_UNKNOWN_KEY_FAILURES;
  if (more > 0) {
    c.failures.push({
      property: "",
      reason: `and ${more} more keys that are not ${kind}s of ${of}; ${kind}s are ${keys.join(", ")}`,
    });
  }
}

/**
 * Checks `state` (defaulting to `stateDefault` when given), `projectId`, `region`, `endpoint`, `timeoutSeconds`,
 * `credentials`, the start keys a start would need, and the API authentication. Unknown preview values are kept.
 */
export function checkShared(
  c: Checking,
  options: {
    /** The state when none is given; without it, `state` is required. */
    stateDefault?: "started" | "paused";
    /** Whether the start keys must be set now; by default only when the state is `started`. */
    keysNeeded?: boolean;
  } = {},
): void {
  const { news, inputs, failures } = c;
  const lookup = c.lookup ?? configSource();

  const state = news.state ?? options.stateDefault;
  if (isUnknown(state) || state === "started" || state === "paused") inputs.state = state;
  else failures.push({ property: "state", reason: `state must be "started" or "paused"; got ${describe(state)}` });

  const fromInputOrConfig = (key: "projectId" | "region" | "endpoint", max: number) => {
    const given = news[key];
    if (isUnknown(given)) return given;
    if (given !== undefined && given !== null) {
      if (typeof given !== "string" || given.trim() === "" || given.length > max || CONTROL_CHARACTER.test(given)) {
        failures.push({
          property: key,
          reason: `${key} must be a non-empty string of at most ${max} characters without control characters; got ${describe(given)}`,
        });
        return undefined;
      }
      return given;
    }
    const configured = readConfigString(lookup, key, key);
    if (configured.problem) failures.push(configured.problem);
    return configured.value;
  };

  const projectId = fromInputOrConfig("projectId", MAX_PROJECT_ID_CHARS);
  const projectProblem =
    typeof projectId === "string" && !isUnknown(projectId) ? projectIdProblem(projectId) : undefined;
  if (projectProblem) failures.push({ property: "projectId", reason: `projectId ${projectProblem}` });
  if (projectId === undefined && !failures.some((f) => f.property === "projectId")) {
    failures.push({
      property: "projectId",
      reason:
        "projectId is required: pass it, or set `pulumi config set oms:projectId <id>` (or HW_PROJECT_ID); find it under My Credentials > API Credentials in the console",
    });
  }
  inputs.projectId = projectId;

  const endpoint = fromInputOrConfig("endpoint", MAX_ENDPOINT_CHARS);
  if (typeof endpoint === "string" && !isUnknown(endpoint)) {
    const checked = validateEndpoint(endpoint);
    if ("problem" in checked) failures.push({ property: "endpoint", reason: `endpoint ${checked.problem}` });
  }
  inputs.endpoint = endpoint;

  const region = fromInputOrConfig("region", MAX_REGION_CHARS);
  if (
    typeof region === "string" &&
    !isUnknown(region) &&
    endpoint === undefined &&
    !SYNC_TASK_REGIONS.includes(region)
  ) {
    failures.push({
      property: "region",
      reason: `OMS sync tasks exist only in ${SYNC_TASK_REGIONS.join(", ")}; got "${describe(region).slice(1, -1)}". Pick one of those, or give endpoint`,
    });
  }
  if (region === undefined && endpoint === undefined && !failures.some((f) => f.property === "region")) {
    failures.push({
      property: "region",
      reason: `region is required: pass it, or set \`pulumi config set oms:region <region>\` (or HW_REGION_NAME); sync tasks exist in ${SYNC_TASK_REGIONS.join(", ")}`,
    });
  }
  inputs.region = region;

  const timeout = news.timeoutSeconds;
  if (timeout === undefined || timeout === null) inputs.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  else if (isUnknown(timeout)) inputs.timeoutSeconds = timeout;
  else if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
    failures.push({
      property: "timeoutSeconds",
      reason: `timeoutSeconds must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}; got ${describe(timeout)}`,
    });
  } else inputs.timeoutSeconds = timeout;

  const credentials = news.credentials;
  if (credentials !== undefined && credentials !== null) {
    if (isUnknown(credentials)) inputs.credentials = credentials;
    else if (typeof credentials !== "object" || Array.isArray(credentials)) {
      failures.push({
        property: "credentials",
        reason: "credentials must be an object { srcAk, srcSk, dstAk, dstSk, sourceCdnAuthenticationKey? }",
      });
    } else {
      const extra = Object.keys(credentials).filter((k) => !(START_KEY_FIELDS as readonly string[]).includes(k));
      for (const k of extra)
        failures.push({
          property: `credentials.${k}`,
          reason: `credentials.${k} is not a start key; use ${START_KEY_FIELDS.join(", ")}`,
        });
      inputs.credentials = credentials;
    }
  }

  // Start keys are needed only to start, but a preview should say now that they are missing.
  if (!isUnknown(credentials)) {
    const given = credentials && typeof credentials === "object" ? (credentials as Record<string, unknown>) : undefined;
    const { problems } = resolveStartKeys(given as never, lookup, isUnknown);
    // A paused task needs no keys yet, but keys given on the resource must still be well-formed.
    const needed = options.keysNeeded ?? state === "started";
    failures.push(...(needed ? problems : problems.filter((p) => p.property.startsWith("credentials."))));
  }
  failures.push(...resolveApiAuth(lookup).problems);
}

/** The connection inputs alone. */
const CONNECTION_KEYS = ["projectId", "region", "endpoint"];

/**
 * Checks only the connection (`projectId`, `region`, `endpoint`, each defaulting from config as for a resource) and
 * the API authentication, for what needs no state, timeout or start keys (functions, SyncEvent).
 */
export function checkConnection(c: Checking): void {
  const news = Object.fromEntries(CONNECTION_KEYS.filter((k) => c.news[k] != null).map((k) => [k, c.news[k]]));
  const connection: Checking = { news, inputs: {}, failures: [], lookup: c.lookup };
  checkShared(connection, { stateDefault: "paused", keysNeeded: false });
  c.failures.push(...connection.failures);
  for (const key of CONNECTION_KEYS) if (connection.inputs[key] !== undefined) c.inputs[key] = connection.inputs[key];
}

/**
 * A resource's whole check: unknown keys first, then `steps`. It never throws: hostile objects (a throwing getter, a
 * Proxy) become one failure that quotes nothing. The engine never sends them, but `check` promises not to throw.
 */
export function runCheck(
  news: unknown,
  resource: ResourceDescriptor,
  steps: (c: Checking) => void,
): { inputs: Record<string, unknown>; failures?: SettingProblem[] } {
  try {
    const c: Checking = {
      news: news && typeof news === "object" ? (news as Record<string, unknown>) : {},
      inputs: {},
      failures: [],
    };
    const keys = { keys: inputKeys(resource), echoed: outputKeys(resource) };
    checkKnownKeys(c, { kind: "input", of: resource.name, ...keys });
    steps(c);
    const { inputs, failures } = c;
    for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
    return failures.length > 0 ? { inputs, failures } : { inputs };
  } catch {
    return {
      inputs: {},
      failures: [
        { property: "", reason: "the inputs could not be read as plain values; pass strings, numbers and objects" },
      ],
    };
  }
}

/** The KMS key id inputs both resources take: a task's encryption, which every start repeats. */
const KMS_INPUT_KEYS = ["srcKmsKeyId", "dstKmsKeyId", "sourceCdnKmsKeyId"] as const;

/** The KMS key ids of resolved inputs, which create and every start send. */
export function kmsOf(inputs: KmsKeys): KmsKeys {
  return compact({
    srcKmsKeyId: inputs.srcKmsKeyId,
    dstKmsKeyId: inputs.dstKmsKeyId,
    sourceCdnKmsKeyId: inputs.sourceCdnKmsKeyId,
  });
}

/** Checks the KMS key id inputs (SyncTaskState; SyncTask checks them with its definition). */
export function checkKmsKeys(c: Checking): void {
  for (const key of KMS_INPUT_KEYS) {
    const value = c.news[key];
    if (value === undefined || value === null) continue;
    const problem = isUnknown(value) ? undefined : kmsKeyIdProblem(value, isUnknown);
    if (problem) c.failures.push({ property: key, reason: `${key} ${problem}; got ${describe(value)}` });
    else c.inputs[key] = value;
  }
}

/** A lifecycle's `check` from the descriptor: {@link runCheck} with the resource's own `steps`. Never throws. */
export function checking(
  resource: ResourceDescriptor,
  steps: (c: Checking) => void,
): (olds: unknown, news: Record<string, unknown>) => Promise<CheckResult> {
  return async (_olds, news) => runCheck(news, resource, steps);
}

/** Checks `syncTaskId` as an id that must exist (SyncTaskState) or may be given to adopt (SyncTask). */
export function checkTaskId(c: Checking, what: string): void {
  const id = c.news.syncTaskId;
  if (isUnknown(id)) c.inputs.syncTaskId = id;
  else if (typeof id !== "string" || id.length === 0 || id.length > MAX_TASK_ID_CHARS) {
    c.failures.push({
      property: "syncTaskId",
      reason: `syncTaskId must be ${what} (1–${MAX_TASK_ID_CHARS} characters); got ${describe(id)}`,
    });
  } else {
    const problem = taskIdProblem(id);
    if (problem) c.failures.push({ property: "syncTaskId", reason: `syncTaskId ${problem}; got ${describe(id)}` });
    else c.inputs.syncTaskId = id;
  }
}
