import * as http from "http";
import * as https from "https";
import axios, { isAxiosError, type AxiosInstance, type AxiosResponse } from "axios";
import axiosRetry, { retryAfter } from "axios-retry";
import { OmsError } from "../errors/oms-error";
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
import { omsState, type OmsRequestConfig, type RequestSpec } from "./request-config";
import { percentEncode } from "./signer";
import { prepareAttempt } from "./attempt";
import type { CallOptions, OmsClientOptions, RetryEvent } from "./client-options";
import type {
  ApiAuth,
  KmsKeys,
  OmsSyncTask,
  StartKeys,
  StartSyncTaskBody,
  StatisticsQuery,
  SyncEventAnswer,
  SyncTaskDefinition,
  TaskStatistics,
  TransitionResult,
} from "./types";
import { checkedAuth, assertTaskId, configError, invalidResponse, projectIdProblem, taskIdProblem } from "./validate";
import {
  createBody,
  eventsBody,
  kmsFields,
  objectKeysProblem,
  parseJson,
  parseStatistics,
  parseTask,
  startBody,
  statisticsQuery,
  statisticsQueryProblem,
} from "./wire";

export type { CallOptions, OmsClientOptions, RetryEvent } from "./client-options";

/** Per-request timeout unless configured: long enough for a slow gateway, short enough to retry a hung socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export { MIN_REQUEST_TIMEOUT_MS } from "./attempt";
/** The largest answer read, headers excluded: OMS answers are a few KB, so anything near this is not OMS. */
export const MAX_RESPONSE_BYTES = 1_048_576;
/** OMS's largest page size for list. */
export const LIST_PAGE_SIZE = 100;
/** OMS rejects offsets past this. */
const MAX_LIST_OFFSET = 10_000;

/** A request id worth keeping: a short token of letters, digits and `-` (the gateway's are 32 hex digits). */
const shapedRequestId = (v: unknown): string | undefined =>
  typeof v === "string" && /^[A-Za-z0-9-]{1,64}$/.test(v) && !holdsSecret(v) ? v : undefined;

// One keep-alive agent per scheme for the whole process: polling reuses the TLS connection.
const HTTP_AGENT = new http.Agent({ keepAlive: true });
const HTTPS_AGENT = new https.Agent({ keepAlive: true });

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
    this.http.interceptors.request.use((config) =>
      prepareAttempt(config, { auth: this.auth, projectId: this.projectId, requestTimeoutMs: this.requestTimeoutMs }),
    );
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

  /**
   * Lists every task in the project, following pages of {@link LIST_PAGE_SIZE} up to OMS's last offset. A page
   * longer than asked for, a task listed twice, or a server still paging past that offset is an `INVALID_RESPONSE`
   * (never a silently cut list).
   */
  async listTasks(
    filter: { status?: "SYNCHRONIZING" | "STOPPED" } = {},
    options: CallOptions & {
      /** Stop after the page that brings the list to this many tasks. Default: every page OMS allows. */
      maxTasks?: number;
    } = {},
  ): Promise<OmsSyncTask[]> {
    if (filter.status !== undefined && filter.status !== "SYNCHRONIZING" && filter.status !== "STOPPED") {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation: "list",
        reason: "status must be SYNCHRONIZING or STOPPED",
      });
    }
    const tasks: OmsSyncTask[] = [];
    const seen = new Set<string>();
    for (let offset = 0; ; offset += LIST_PAGE_SIZE) {
      if (offset > MAX_LIST_OFFSET) {
        throw invalidResponse("list", undefined, `the list kept paging past offset ${MAX_LIST_OFFSET}, OMS's last`);
      }
      const query: Record<string, string> = { limit: String(LIST_PAGE_SIZE), offset: String(offset) };
      if (filter.status) query.status = filter.status;
      const text = await this.send({
        operation: "list",
        method: "GET",
        segments: [],
        query,
        deadline: options.deadline,
      });
      const page = parseJson(text, "list") as { tasks?: unknown; count?: unknown } | null;
      if (!page || !Array.isArray(page.tasks))
        throw invalidResponse("list", undefined, "the response has no tasks array");
      if (page.tasks.length > LIST_PAGE_SIZE) {
        throw invalidResponse(
          "list",
          undefined,
          `a page holds ${page.tasks.length} tasks, more than the ${LIST_PAGE_SIZE} asked for`,
        );
      }
      for (const item of page.tasks) {
        const task = parseTask(item, "list");
        if (seen.has(task.syncTaskId)) {
          throw invalidResponse("list", undefined, "a task was listed twice: the pages overlap");
        }
        seen.add(task.syncTaskId);
        tasks.push(task);
      }
      const count = typeof page.count === "number" && Number.isSafeInteger(page.count) ? page.count : tasks.length;
      if (page.tasks.length < LIST_PAGE_SIZE || tasks.length >= count) break;
      if (options.maxTasks !== undefined && tasks.length >= options.maxTasks) break;
    }
    return tasks;
  }

  /**
   * Reads one statistics series of a task (`GET …/{id}/statistics`). The query is checked first (a known data type,
   * 13-digit epoch-ms times, end after start, a range of at most `MAX_STATISTICS_RANGE_MS`): a bad one is a
   * `CONFIG_ERROR` naming the field, and nothing is sent. Throws `OmsError`.
   */
  async taskStatistics(taskId: string, query: StatisticsQuery, options: CallOptions = {}): Promise<TaskStatistics> {
    assertTaskId(taskId, "statistics");
    const problem = statisticsQueryProblem(query);
    if (problem) throw new OmsError({ code: "CONFIG_ERROR", operation: "statistics", taskId, reason: problem });
    const text = await this.send({
      operation: "statistics",
      taskId,
      method: "GET",
      segments: [taskId, "statistics"],
      query: statisticsQuery(query),
      deadline: options.deadline,
    });
    return parseStatistics(parseJson(text, "statistics", taskId), query.dataType, taskId);
  }

  /**
   * Asks OMS to synchronize the named objects now (`POST …/{id}/events` with 1–10 URL-encoded keys). The names are
   * given plain and checked first (a `CONFIG_ERROR` naming the key, nothing sent). OMS answers without a body, so
   * the answer is its status and request id. Retried only when surely not processed, like create. Throws `OmsError`.
   */
  async syncEvents(taskId: string, objectKeys: readonly string[], options: CallOptions = {}): Promise<SyncEventAnswer> {
    assertTaskId(taskId, "events");
    const problem = objectKeysProblem(objectKeys);
    if (problem) throw new OmsError({ code: "CONFIG_ERROR", operation: "events", taskId, reason: problem });
    const sentAt = Date.now();
    const response = await this.request({
      operation: "events",
      taskId,
      method: "POST",
      segments: [taskId, "events"],
      body: JSON.stringify(eventsBody(objectKeys)),
      once: true,
      deadline: options.deadline,
    });
    const requestId = shapedRequestId(response.headers["x-request-id"]);
    return requestId === undefined
      ? { status: response.status, sentAt }
      : { status: response.status, requestId, sentAt };
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
    return (await this.request(spec)).data ?? "";
  }

  private async request(spec: RequestSpec): Promise<AxiosResponse<string>> {
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
      return await this.http.request<string>(config);
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
}
