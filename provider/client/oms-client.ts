import * as http from "http";
import * as https from "https";
import axios, { isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from "axios";
import axiosRetry, { retryAfter } from "axios-retry";
import { OmsError, type OmsOperation } from "../errors/oms-error";
import { holdsSecret, rememberSecrets } from "../errors/redact";
import { toOmsError } from "./axios-error";
import { defaultEndpoint, validateEndpoint } from "./endpoint";
import { MAX_ENDPOINT_CHARS } from "./limits";
import {
  DEFAULT_RETRY_OPTIONS,
  describeFailure,
  isTransientFailure,
  retryDelayMs,
  wasNotProcessed,
  type RetryOptions,
} from "./retry";
import { omsState, type OmsRequestConfig } from "./request-config";
import { percentEncode, sdkDate, sign } from "./signer";
import type {
  ApiAuth,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  StartSyncTaskBody,
  SyncTaskDefinition,
  TransitionResult,
} from "./types";
import { checkedAuth, assertTaskId, configError, invalidResponse, projectIdProblem, taskIdProblem } from "./validate";
import { createBody, kmsFields, parseJson, parseTask, startBody } from "./wire";

/** Per-request timeout unless configured: long enough for a slow gateway, short enough to retry a hung socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The shortest per-request timeout when a deadline is near: a request needs some time to be worth sending. */
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
/** The largest answer read, headers excluded: OMS answers are a few KB, so anything near this is not OMS. */
export const MAX_RESPONSE_BYTES = 1_048_576;
/** OMS's largest page size for list. */
export const LIST_PAGE_SIZE = 100;
/** OMS rejects offsets past this. */
const MAX_LIST_OFFSET = 10_000;

// One keep-alive agent per scheme for the whole process: polling reuses the TLS connection.
const HTTP_AGENT = new http.Agent({ keepAlive: true });
const HTTPS_AGENT = new https.Agent({ keepAlive: true });

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

/** Settings of an {@link OmsClient}. */
export interface OmsClientOptions {
  /** Project the tasks live in (1–{@link MAX_PROJECT_ID_CHARS} chars). */
  projectId: string;
  /** Region; used for the default endpoint. */
  region?: string;
  /** Overrides `https://oms.{region}.myhuaweicloud.com`. `http://` only to a loopback host. */
  endpoint?: string;
  auth: ApiAuth;
  /** Per-request timeout in ms. Default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** Retry policy; each field defaults as in {@link DEFAULT_RETRY_OPTIONS}. */
  retry?: Partial<RetryOptions>;
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void;
}

/** Per-call options. */
export interface CallOptions {
  /**
   * Epoch ms after which no retry starts. Each attempt's timeout is also cut to the time left (but not below
   * {@link MIN_REQUEST_TIMEOUT_MS}), so a call outlives its deadline by at most that.
   */
  deadline?: number;
}

interface RequestSpec {
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

/**
 * A client for the OMS v2 sync-task API. It signs or token-authenticates every request, retries transient faults
 * (network errors, 429, 500/502/503/504) with capped, jittered backoff, and throws only {@link OmsError}.
 * The constructor throws `OmsError` with code `CONFIG_ERROR` for an unusable endpoint or project id.
 */
export class OmsClient {
  readonly baseUrl: string;
  private readonly projectId: string;
  private readonly auth: ApiAuth;
  private readonly requestTimeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly http: AxiosInstance;
  private readonly onRetry?: (event: RetryEvent) => void;

  constructor(options: OmsClientOptions) {
    if (!options || typeof options !== "object") throw configError("options must be an object");
    const projectProblem = projectIdProblem(options.projectId);
    if (projectProblem) throw configError(`projectId ${projectProblem}`);
    this.projectId = options.projectId;
    for (const [name, value] of [
      ["region", options.region],
      ["endpoint", options.endpoint],
    ] as const) {
      if (value !== undefined && (typeof value !== "string" || value.length > MAX_ENDPOINT_CHARS)) {
        throw configError(`${name} must be a string of at most ${MAX_ENDPOINT_CHARS} characters`);
      }
    }
    // The region becomes a host name only when no endpoint is given.
    if (options.endpoint === undefined && options.region !== undefined && !/^[a-z0-9-]{1,64}$/.test(options.region)) {
      throw configError("region must look like cn-north-4");
    }
    const endpoint = options.endpoint ?? (options.region ? defaultEndpoint(options.region) : undefined);
    if (!endpoint) throw configError("either region or endpoint is required");
    const checked = validateEndpoint(endpoint);
    if ("problem" in checked) throw configError(`endpoint ${checked.problem}`);
    this.baseUrl = checked.url;
    this.auth = checkedAuth(options.auth);
    rememberSecrets(...this.credentialValues());
    if (
      options.requestTimeoutMs !== undefined &&
      (typeof options.requestTimeoutMs !== "number" || !(options.requestTimeoutMs > 0))
    ) {
      throw configError("requestTimeoutMs must be a number of milliseconds above 0");
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.onRetry = options.onRetry;
    this.http = axios.create({
      httpAgent: HTTP_AGENT,
      httpsAgent: HTTPS_AGENT,
      timeout: this.requestTimeoutMs,
      responseType: "text",
      // Bodies are sent and read as exact text: the signature covers the bytes, and error pages may not be JSON.
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
      proxy: false,
      maxRedirects: 0,
      // The idle timeout above does not end a body that drips forever; the per-attempt timer in `authenticate` does.
      maxContentLength: MAX_RESPONSE_BYTES,
    });
    // Registered before axios-retry so that every attempt, retries included, is authenticated and timed afresh.
    this.http.interceptors.request.use((config) => this.authenticate(config));
    this.http.interceptors.response.use(
      (response) => {
        clearTimeout(omsState(response.config).omsAttemptTimer);
        return response;
      },
      (error: unknown) => {
        if (isAxiosError(error)) clearTimeout(omsState(error.config).omsAttemptTimer);
        throw error;
      },
    );
    axiosRetry(this.http, { retries: this.retry.retries, shouldResetTimeout: true });
  }

  /** Shows one task (`GET …/sync-tasks/{id}?query_time=<now>`). Throws `OmsError`. */
  async showTask(taskId: string, options: CallOptions = {}): Promise<OmsSyncTask> {
    assertTaskId(taskId, "show");
    const text = await this.send({
      operation: "show",
      taskId,
      method: "GET",
      segments: [taskId],
      query: { query_time: String(Date.now()) },
      deadline: options.deadline,
    });
    return parseTask(parseJson(text, "show", taskId), "show", taskId);
  }

  /**
   * Starts a task with the keys OMS needs to read the source and write the destination. Returns `"already"` when
   * OMS answers OMS.0065 (the task is already started) to the first attempt; a retry answered so follows an attempt
   * whose answer was lost and that may have started the task, so it returns `"requested"`.
   */
  async startTask(
    taskId: string,
    keys: StartKeys,
    options: CallOptions & { kms?: KmsKeys } = {},
  ): Promise<TransitionResult> {
    assertTaskId(taskId, "start");
    const body: StartSyncTaskBody = { ...startBody(keys, "start", taskId), ...kmsFields(options.kms, "start") };
    return this.transition("start", taskId, "OMS.0065", { body: JSON.stringify(body), deadline: options.deadline });
  }

  /**
   * Creates a task; OMS starts it by itself. The keys go in the body. A create is not safe to repeat, so it is
   * retried only when OMS surely did not process it (429, connection refused); any other failure may have created
   * the task, and the caller decides how to find out. Returns the new task's id.
   */
  async createTask(definition: SyncTaskDefinition, keys: StartKeys, options: CallOptions = {}): Promise<string> {
    const body = createBody(definition, keys);
    const text = await this.send({
      operation: "create",
      method: "POST",
      segments: [],
      body: JSON.stringify(body),
      once: true,
      deadline: options.deadline,
    });
    const id = (parseJson(text, "create") as { sync_task_id?: unknown } | null)?.sync_task_id;
    if (taskIdProblem(id) || holdsSecret(id as string)) {
      throw invalidResponse("create", undefined, "the response has no well-formed sync_task_id");
    }
    return id as string;
  }

  /** Deletes a task. OMS refuses (OMS.0063) while it is synchronizing. */
  async deleteTask(taskId: string, options: CallOptions = {}): Promise<void> {
    assertTaskId(taskId, "delete");
    await this.send({ operation: "delete", taskId, method: "DELETE", segments: [taskId], deadline: options.deadline });
  }

  /**
   * Stops (pauses) a task; the call has no body. Returns `"already"` when OMS answers OMS.0066 (not in progress) to the
   * first attempt, `"requested"` when it answers so to a retry (as {@link OmsClient.startTask}).
   */
  async stopTask(taskId: string, options: CallOptions = {}): Promise<TransitionResult> {
    assertTaskId(taskId, "stop");
    return this.transition("stop", taskId, "OMS.0066", { deadline: options.deadline });
  }

  /** Lists every task in the project, following pages of {@link LIST_PAGE_SIZE}. */
  async listTasks(
    filter: { status?: "SYNCHRONIZING" | "STOPPED" } = {},
    options: CallOptions & {
      /** Stop after the page that brings the list to this many tasks. Default: every page OMS allows. */
      maxTasks?: number;
    } = {},
  ): Promise<OmsSyncTask[]> {
    const tasks: OmsSyncTask[] = [];
    for (let offset = 0; offset <= MAX_LIST_OFFSET; offset += LIST_PAGE_SIZE) {
      const query: Record<string, string> = { limit: String(LIST_PAGE_SIZE), offset: String(offset) };
      if (filter.status) query.status = filter.status;
      const text = await this.send({
        operation: "list",
        method: "GET",
        segments: [],
        query,
        deadline: options.deadline,
      });
      const page = parseJson(text, "list") as { tasks?: unknown; count?: unknown };
      if (!Array.isArray(page.tasks)) throw invalidResponse("list", undefined, "the response has no tasks array");
      for (const item of page.tasks) tasks.push(parseTask(item, "list"));
      const count = typeof page.count === "number" ? page.count : tasks.length;
      if (page.tasks.length < LIST_PAGE_SIZE || tasks.length >= count) break;
      if (options.maxTasks !== undefined && tasks.length >= options.maxTasks) break;
    }
    return tasks;
  }

  private async transition(
    operation: "start" | "stop",
    taskId: string,
    alreadyCode: string,
    extra: Pick<RequestSpec, "body" | "deadline">,
  ): Promise<TransitionResult> {
    const retried = { value: false };
    try {
      await this.send({ operation, taskId, method: "POST", segments: [taskId, operation], ...extra, retried });
      return "requested";
    } catch (error) {
      // Answered "already" on a retry, the call is taken as the one whose answer was lost: it may well have done it.
      if (error instanceof OmsError && error.errorCode === alreadyCode) return retried.value ? "requested" : "already";
      throw error;
    }
  }

  private async send(spec: RequestSpec): Promise<string> {
    const path = ["", "v2", this.projectId, "sync-tasks", ...spec.segments].map(percentEncode).join("/");
    const query = Object.entries(spec.query ?? {})
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join("&");
    // `false` keeps axios from adding a form content type to a body-less POST (stop has no body).
    const headers = { "Content-Type": spec.body === undefined ? false : "application/json;charset=UTF-8" };
    try {
      const config: OmsRequestConfig = {
        method: spec.method,
        url: this.baseUrl + path + (query ? `?${query}` : ""),
        data: spec.body,
        headers,
        omsDeadline: spec.deadline,
        "axios-retry": {
          retryCondition: (error) =>
            (spec.once ? wasNotProcessed(error) : isTransientFailure(error)) &&
            (spec.deadline === undefined || Date.now() < spec.deadline),
          retryDelay: (retryNumber, error) => {
            if (spec.retried) spec.retried.value = true;
            const wanted = retryDelayMs(retryNumber, retryAfter(error), this.retry);
            const delayMs =
              spec.deadline === undefined ? wanted : Math.max(0, Math.min(wanted, spec.deadline - Date.now()));
            this.onRetry?.({
              operation: spec.operation,
              taskId: spec.taskId,
              retryNumber,
              delayMs,
              reason: describeFailure(error),
            });
            return delayMs;
          },
        },
      };
      const response = await this.http.request<string>(config);
      return response.data ?? "";
    } catch (error) {
      throw toOmsError(error, {
        operation: spec.operation,
        taskId: spec.taskId,
        baseUrl: this.baseUrl,
        requestTimeoutMs: this.requestTimeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        transient: isAxiosError(error) && isTransientFailure(error),
      });
    }
  }

  private credentialValues(): string[] {
    return this.auth.type === "token"
      ? [this.auth.token]
      : [this.auth.accessKey, this.auth.secretKey, this.auth.securityToken ?? ""];
  }

  /** Adds `X-Auth-Token`, or signs the exact request about to be sent (fresh `X-Sdk-Date` on every attempt). */
  private authenticate(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    const state = omsState(config);
    if (state.omsDeadline !== undefined) {
      const left = state.omsDeadline - Date.now();
      config.timeout = Math.min(this.requestTimeoutMs, Math.max(MIN_REQUEST_TIMEOUT_MS, left));
    }
    // The whole attempt (connect, headers and body) ends at its timeout, however slowly the body drips.
    const controller = new AbortController();
    state.omsAttemptTimedOut = false;
    state.omsAttemptTimer = setTimeout(() => {
      state.omsAttemptTimedOut = true;
      controller.abort();
    }, config.timeout ?? this.requestTimeoutMs);
    config.signal = controller.signal;
    if (this.auth.type === "token") {
      config.headers.set("X-Auth-Token", this.auth.token);
      return config;
    }
    const url = new URL(config.url ?? "");
    const query: Record<string, string[]> = {};
    for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
    const signed: Record<string, string> = {
      host: url.host,
      "x-sdk-date": sdkDate(new Date()),
      "x-project-id": this.projectId,
    };
    const contentType = config.headers.get("Content-Type");
    if (typeof contentType === "string") signed["content-type"] = contentType;
    if (this.auth.securityToken) signed["x-security-token"] = this.auth.securityToken;
    const body = typeof config.data === "string" ? config.data : "";
    const { authorization } = sign(
      { method: config.method ?? "GET", path: url.pathname, query, headers: signed, body },
      this.auth,
    );
    for (const [name, value] of Object.entries(signed)) config.headers.set(name, value);
    config.headers.set("Authorization", authorization);
    return config;
  }
}
