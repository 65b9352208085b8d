// The SyncTaskState lifecycle: what check, diff, create, read, update and delete do. No HTTP here; the OMS client
// does that. This module is loaded by name from the installed package by the serialized provider.
import type * as pulumi from "@pulumi/pulumi";
import { SYNC_TASK_REGIONS, validateEndpoint } from "../client/endpoint";
import { OmsClient, type RetryEvent } from "../client/oms-client";
import type { RetryOptions } from "../client/retry";
import type { SyncTask } from "../client/types";
import { CONTROL_CHARACTER, MAX_TASK_ID_CHARS, projectIdProblem, taskIdProblem } from "../client/validate";
import { OmsError } from "../errors/oms-error";
import { redact, scanPrefix } from "../errors/redact";
import { compact } from "../utils/compact";
import {
  envLookup,
  readConfigString,
  resolveApiAuth,
  resolveStartKeys,
  stackLookup,
  START_KEY_FIELDS,
  type ConfigLookup,
  type SettingProblem,
} from "./settings";
import {
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  STATUS_FOR,
  UNKNOWN,
  type DesiredState,
  type SyncTaskStateInputs,
  type SyncTaskStateOutputs,
} from "./types";

/** First wait between status polls; doubles up to {@link POLL_MAX_INTERVAL_MS}. */
export const POLL_INITIAL_INTERVAL_MS = 500;
export const POLL_MAX_INTERVAL_MS = 5_000;

const INPUT_KEYS = ["syncTaskId", "state", "projectId", "region", "endpoint", "credentials", "timeoutSeconds"];
const REPLACE_KEYS = ["syncTaskId", "projectId", "region"] as const;
const UPDATE_KEYS = ["state", "endpoint", "timeoutSeconds", "credentials"] as const;
const PROVIDER_KEY = "__provider";

let lookup: ConfigLookup = envLookup();

/** Options for tests and tools; programs never need them. */
export const tuning: {
  onRetry?: (event: RetryEvent) => void;
  pollInitialIntervalMs: number;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
} = {
  pollInitialIntervalMs: POLL_INITIAL_INTERVAL_MS,
};

const isUnknown = (value: unknown): boolean => value === UNKNOWN;

/** Receives the stack config from the engine; secrets arrive in plain text and stay in this process. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  lookup = stackLookup((key) => req.config.get(key));
}

/** Replaces where config comes from (tests). */
export function useConfig(next: ConfigLookup): void {
  lookup = next;
}

/** A short quotation of a bad (non-secret) input for a failure message; never throws. */
function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? text.slice(0, 40) + "…" : text;
}

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export async function check(olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  try {
    return checkInputs(olds, news);
  } catch {
    // Only hostile objects get here (a throwing getter, a Proxy); the engine never sends them. Nothing is quoted.
    return {
      inputs: {},
      failures: [
        { property: "", reason: "the inputs could not be read as plain values; pass strings, numbers and objects" },
      ],
    };
  }
}

function checkInputs(_olds: unknown, news: Record<string, unknown>): pulumi.dynamic.CheckResult {
  const failures: SettingProblem[] = [];
  const inputs: Record<string, unknown> = {};
  const news_ = news && typeof news === "object" ? news : {};

  for (const key of Object.keys(news_)) {
    if (key !== PROVIDER_KEY && !INPUT_KEYS.includes(key) && !["status", "lastStartTime"].includes(key)) {
      failures.push({
        property: key,
        reason: `${key} is not an input of SyncTaskState; inputs are ${INPUT_KEYS.join(", ")}`,
      });
    }
  }

  const id = news_.syncTaskId;
  const idProblem = taskIdProblem(id);
  if (isUnknown(id)) inputs.syncTaskId = id;
  else if (typeof id !== "string" || id.length === 0 || id.length > MAX_TASK_ID_CHARS) {
    failures.push({
      property: "syncTaskId",
      reason: `syncTaskId must be the id of an existing OMS sync task (1–${MAX_TASK_ID_CHARS} characters); got ${describe(id)}`,
    });
  } else if (idProblem) {
    failures.push({ property: "syncTaskId", reason: `syncTaskId ${idProblem}; got ${describe(id)}` });
  } else inputs.syncTaskId = id;

  const state = news_.state;
  if (isUnknown(state) || state === "started" || state === "paused") inputs.state = state;
  else failures.push({ property: "state", reason: `state must be "started" or "paused"; got ${describe(state)}` });

  const fromInputOrConfig = (key: "projectId" | "region" | "endpoint", max: number) => {
    const given = news_[key];
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

  const projectId = fromInputOrConfig("projectId", 1024);
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

  const endpoint = fromInputOrConfig("endpoint", 2048);
  if (typeof endpoint === "string" && !isUnknown(endpoint)) {
    const checked = validateEndpoint(endpoint);
    if ("problem" in checked) failures.push({ property: "endpoint", reason: `endpoint ${checked.problem}` });
  }
  inputs.endpoint = endpoint;

  const region = fromInputOrConfig("region", 64);
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

  const timeout = news_.timeoutSeconds;
  if (timeout === undefined || timeout === null) inputs.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  else if (isUnknown(timeout)) inputs.timeoutSeconds = timeout;
  else if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_SECONDS) {
    failures.push({
      property: "timeoutSeconds",
      reason: `timeoutSeconds must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}; got ${describe(timeout)}`,
    });
  } else inputs.timeoutSeconds = timeout;

  const credentials = news_.credentials;
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
    failures.push(...(state === "started" ? problems : problems.filter((p) => p.property.startsWith("credentials."))));
  }
  failures.push(...resolveApiAuth(lookup).problems);

  compact(inputs);
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** `state`, `endpoint`, `timeoutSeconds`, `credentials` update; `syncTaskId`, `projectId`, `region` replace. */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const replaces = REPLACE_KEYS.filter((key) => isUnknown(news[key]) || !same(olds[key], news[key]));
  const updates = UPDATE_KEYS.filter((key) => isUnknown(news[key]) || !same(olds[key], news[key]));
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

function clientFor(inputs: SyncTaskStateInputs): OmsClient {
  const { auth, problems } = resolveApiAuth(lookup);
  if (!auth) throw configError(inputs.syncTaskId, problems);
  return new OmsClient({
    projectId: inputs.projectId,
    region: inputs.region,
    endpoint: inputs.endpoint,
    auth,
    onRetry: tuning.onRetry,
    retry: tuning.retry,
    requestTimeoutMs: tuning.requestTimeoutMs,
  });
}

function configError(taskId: string, problems: SettingProblem[]): OmsError {
  return new OmsError({
    code: "CONFIG_ERROR",
    operation: "configure",
    taskId,
    reason: problems.map((p) => p.reason).join("; "),
  });
}

function outputsFrom(
  inputs: SyncTaskStateInputs,
  task: Pick<SyncTask, "status" | "lastStartTime">,
): SyncTaskStateOutputs {
  const outs: SyncTaskStateOutputs = { ...inputs, status: task.status };
  if (task.lastStartTime !== undefined) outs.lastStartTime = new Date(task.lastStartTime).toISOString();
  return compact(outs);
}

/** The inputs part of stored properties (drops outputs and the serialized provider). */
function inputsOf(props: Record<string, unknown>): SyncTaskStateInputs {
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs as unknown as SyncTaskStateInputs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes OMS show the desired status: one GET; if it differs, one start (with the keys) or stop (no body); then GETs
 * until the status shows or `timeoutSeconds` passes. OMS.0065/OMS.0066 ("already") count as success.
 */
async function converge(inputs: SyncTaskStateInputs): Promise<SyncTaskStateOutputs> {
  const client = clientFor(inputs);
  const deadline = Date.now() + inputs.timeoutSeconds * 1000;
  const want = STATUS_FOR[inputs.state];
  const id = inputs.syncTaskId;
  let task = await client.showTask(id, { deadline });
  if (task.status === want) return outputsFrom(inputs, task);

  if (inputs.state === "started") {
    const { keys, problems } = resolveStartKeys(inputs.credentials, lookup);
    if (!keys) throw configError(id, problems);
    await client.startTask(id, keys, { deadline });
  } else {
    await client.stopTask(id, { deadline });
  }

  // While waiting, a transient fault (retries already spent) is one more poll that did not answer: keep polling until
  // the deadline, and report the wait then.
  let interval = tuning.pollInitialIntervalMs;
  let fault: string | undefined;
  for (;;) {
    try {
      task = await client.showTask(id, { deadline });
      fault = undefined;
    } catch (error) {
      if (!(error instanceof OmsError && error.transient)) throw error;
      fault = describeFault(error);
    }
    if (!fault && task.status === want) return outputsFrom(inputs, task);
    const left = deadline - Date.now();
    if (left <= 0) throw waitTimeout(inputs, task.status, fault);
    await sleep(Math.min(interval, left));
    interval = Math.min(interval * 2, POLL_MAX_INTERVAL_MS);
  }
}

function describeFault(error: OmsError): string {
  if (error.code === "TIMEOUT") return "OMS did not answer the last check in time";
  if (error.code === "NETWORK_ERROR") return "the last check could not reach OMS";
  return `the last check was answered HTTP ${error.status}`;
}

function waitTimeout(inputs: SyncTaskStateInputs, lastStatus: string, fault?: string): OmsError {
  const want = STATUS_FOR[inputs.state];
  return new OmsError({
    code: "TIMEOUT",
    operation: "wait",
    taskId: inputs.syncTaskId,
    reason: `OMS did not show status ${want} within ${inputs.timeoutSeconds} s (last status seen: ${lastStatus}${fault ? `; ${fault}` : ""})`,
    hint: `Run \`pulumi up\` again to keep waiting (it sends no second ${inputs.state === "started" ? "start" : "stop"} once OMS shows ${want}), or raise timeoutSeconds`,
  });
}

/** Errors leave through the plugin, which prints a stack for some methods: show the stable code instead. */
function surface(error: unknown): never {
  if (error instanceof OmsError) {
    Object.defineProperty(error, "stack", { value: error.code, configurable: true });
    throw error;
  }
  const plain = new Error(
    `SyncTaskState failed unexpectedly: ${redact(scanPrefix(error instanceof Error ? error.message : String(error)))}`,
  );
  Object.defineProperty(plain, "stack", { value: "UNEXPECTED", configurable: true });
  throw plain;
}

export async function create(props: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  try {
    const inputs = inputsOf(props);
    return { id: inputs.syncTaskId, outs: await converge(inputs) };
  } catch (error) {
    return surface(error);
  }
}

export async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  try {
    const inputs = inputsOf(news);
    // Only a change of the desired state (or a status that never reached it) calls OMS; endpoint, timeout and
    // credential changes are recorded without a request.
    if (olds.state === inputs.state && olds.status === STATUS_FOR[inputs.state]) {
      return {
        outs: outputsFrom(inputs, {
          status: String(olds.status),
          lastStartTime: typeof olds.lastStartTime === "string" ? Date.parse(olds.lastStartTime) : undefined,
        }),
      };
    }
    return { outs: await converge(inputs) };
  } catch (error) {
    return surface(error);
  }
}

/**
 * True only when OMS itself says the task does not exist (OMS.1009 or OMS.0054, as 404 or 400). Any other 404 (a
 * proxy's page, a wrong base path, an empty body, a gateway code) is an error: dropping the resource on it would
 * silently remove every resource of the stack behind one misconfigured endpoint.
 */
function isGone(error: unknown): boolean {
  if (!(error instanceof OmsError) || error.code !== "OMS_API_ERROR") return false;
  return error.errorCode === "OMS.1009" || error.errorCode === "OMS.0054";
}

/** Refresh: one GET. State follows what OMS reports; a task gone from OMS returns an empty id. */
export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  try {
    const stored = inputsOf(props ?? {});
    const inputs: SyncTaskStateInputs = {
      ...stored,
      syncTaskId: stored.syncTaskId ?? id,
      projectId: stored.projectId ?? (readConfigString(lookup, "projectId", "projectId").value as string),
      region: stored.region ?? (readConfigString(lookup, "region", "region").value as string | undefined),
      timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    };
    let task: SyncTask;
    try {
      task = await clientFor(inputs).showTask(inputs.syncTaskId, {
        deadline: Date.now() + inputs.timeoutSeconds * 1000,
      });
    } catch (error) {
      if (isGone(error)) return { id: "" };
      throw error;
    }
    const state: DesiredState = task.status === STATUS_FOR.started ? "started" : "paused";
    const refreshed = compact({ ...inputs, state });
    return { id: inputs.syncTaskId, props: outputsFrom(refreshed, task), inputs: refreshed };
  } catch (error) {
    return surface(error);
  }
}

/** Destroy leaves the task exactly as it is: no request is sent. */
export async function remove(): Promise<void> {
  return;
}
