import * as http from "http";
import * as https from "https";
import axios, { isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from "axios";
import axiosRetry, { retryAfter } from "axios-retry";
import { OmsError, type OmsOperation } from "../errors/oms-error";
import { toOmsError } from "../errors/to-oms-error";
import { compact } from "../utils/compact";
import { defaultEndpoint, validateEndpoint } from "./endpoint";
import { DEFAULT_RETRY_OPTIONS, describeFailure, isTransientFailure, retryDelayMs, type RetryOptions } from "./retry";
import { percentEncode, sdkDate, sign } from "./signer";
import type { ApiAuth, StartKeys, StartSyncTaskBody, SyncTask, SyncTaskWire, TransitionResult } from "./types";

/** Per-request timeout unless configured: long enough for a slow gateway, short enough to retry a hung socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The shortest per-request timeout when a deadline is near: a request needs some time to be worth sending. */
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
/** OMS's largest page size for list. */
export const LIST_PAGE_SIZE = 100;
/** OMS rejects offsets past this. */
const MAX_LIST_OFFSET = 10_000;
/** Start-call keys: 1–100 chars each; the CDN key up to 255. */
const MAX_KEY_CHARS = 100;
const MAX_CDN_KEY_CHARS = 255;

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
  /** Project the tasks live in (1–1024 chars). */
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
  method: "GET" | "POST";
  /** Logical path segments below `/v2/{project_id}/sync-tasks`. */
  segments: string[];
  query?: Record<string, string>;
  body?: string;
  /** Secrets this request carries besides the API credentials. */
  secrets?: string[];
  deadline?: number;
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
    this.projectId = options.projectId;
    if (!this.projectId || this.projectId.length > 1024) {
      throw configError("projectId must be 1–1024 characters");
    }
    const endpoint = options.endpoint ?? (options.region ? defaultEndpoint(options.region) : undefined);
    if (!endpoint) throw configError("either region or endpoint is required");
    const checked = validateEndpoint(endpoint);
    if ("problem" in checked) throw configError(`endpoint ${checked.problem}`);
    this.baseUrl = checked.url;
    this.auth = options.auth;
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
    });
    // Registered before axios-retry so that every attempt, retries included, is authenticated afresh.
    this.http.interceptors.request.use((config) => this.authenticate(config));
    axiosRetry(this.http, { retries: this.retry.retries, shouldResetTimeout: true });
  }

  /** Shows one task (`GET …/sync-tasks/{id}?query_time=<now>`). Throws `OmsError`. */
  async showTask(taskId: string, options: CallOptions = {}): Promise<SyncTask> {
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
   * OMS answers OMS.0065 (the task is already started), which is also what a retried start that took effect sees.
   */
  async startTask(taskId: string, keys: StartKeys, options: CallOptions = {}): Promise<TransitionResult> {
    const body = startBody(keys, taskId);
    return this.transition("start", taskId, "OMS.0065", {
      body: JSON.stringify(body),
      secrets: Object.values(body),
      deadline: options.deadline,
    });
  }

  /** Stops (pauses) a task; the call has no body. Returns `"already"` when OMS answers OMS.0066 (not in progress). */
  async stopTask(taskId: string, options: CallOptions = {}): Promise<TransitionResult> {
    return this.transition("stop", taskId, "OMS.0066", { deadline: options.deadline });
  }

  /** Lists every task in the project, following pages of {@link LIST_PAGE_SIZE}. */
  async listTasks(
    filter: { status?: "SYNCHRONIZING" | "STOPPED" } = {},
    options: CallOptions = {},
  ): Promise<SyncTask[]> {
    const tasks: SyncTask[] = [];
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
    }
    return tasks;
  }

  private async transition(
    operation: "start" | "stop",
    taskId: string,
    alreadyCode: string,
    extra: Pick<RequestSpec, "body" | "secrets" | "deadline">,
  ): Promise<TransitionResult> {
    try {
      await this.send({ operation, taskId, method: "POST", segments: [taskId, operation], ...extra });
      return "requested";
    } catch (error) {
      if (error instanceof OmsError && error.errorCode === alreadyCode) return "already";
      throw error;
    }
  }

  private async send(spec: RequestSpec): Promise<string> {
    const path = ["", "v2", this.projectId, "sync-tasks", ...spec.segments].map(percentEncode).join("/");
    const query = Object.entries(spec.query ?? {})
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join("&");
    const secrets = [...this.credentialValues(), ...(spec.secrets ?? [])];
    // `false` keeps axios from adding a form content type to a body-less POST (stop has no body).
    const headers = { "Content-Type": spec.body === undefined ? false : "application/json;charset=UTF-8" };
    try {
      const response = await this.http.request<string>({
        method: spec.method,
        url: this.baseUrl + path + (query ? `?${query}` : ""),
        data: spec.body,
        headers,
        omsDeadline: spec.deadline,
        "axios-retry": {
          retryCondition: (error) =>
            isTransientFailure(error) && (spec.deadline === undefined || Date.now() < spec.deadline),
          retryDelay: (retryNumber, error) => {
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
      });
      return response.data ?? "";
    } catch (error) {
      throw toOmsError(error, {
        operation: spec.operation,
        taskId: spec.taskId,
        secrets,
        requestTimeoutMs: this.requestTimeoutMs,
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
    if (config.omsDeadline !== undefined) {
      const left = config.omsDeadline - Date.now();
      config.timeout = Math.min(this.requestTimeoutMs, Math.max(MIN_REQUEST_TIMEOUT_MS, left));
    }
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

declare module "axios" {
  interface AxiosRequestConfig {
    /** The call's deadline (epoch ms), read on every attempt to size its timeout. */
    omsDeadline?: number;
  }
}

function configError(reason: string): OmsError {
  return new OmsError({ code: "CONFIG_ERROR", operation: "configure", reason });
}

function invalidResponse(operation: OmsOperation, taskId: string | undefined, reason: string): OmsError {
  return new OmsError({
    code: "INVALID_RESPONSE",
    operation,
    taskId,
    reason,
    hint: "OMS answered in an unexpected shape; check the endpoint points at OMS",
  });
}

function parseJson(text: string, operation: OmsOperation, taskId?: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidResponse(operation, taskId, "the response body is not JSON");
  }
}

function startBody(keys: StartKeys, taskId: string): StartSyncTaskBody {
  const fields: [keyof StartKeys, string | undefined, number][] = [
    ["srcAk", keys.srcAk, MAX_KEY_CHARS],
    ["srcSk", keys.srcSk, MAX_KEY_CHARS],
    ["dstAk", keys.dstAk, MAX_KEY_CHARS],
    ["dstSk", keys.dstSk, MAX_KEY_CHARS],
  ];
  for (const [name, value, max] of fields) {
    if (typeof value !== "string" || value.length < 1 || value.length > max) {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation: "start",
        taskId,
        reason: `${name} must be 1–${max} characters`,
      });
    }
  }
  const body: StartSyncTaskBody = { src_ak: keys.srcAk, src_sk: keys.srcSk, dst_ak: keys.dstAk, dst_sk: keys.dstSk };
  const cdnKey = keys.sourceCdnAuthenticationKey;
  if (cdnKey !== undefined && cdnKey !== "") {
    if (cdnKey.length > MAX_CDN_KEY_CHARS) {
      throw new OmsError({
        code: "CONFIG_ERROR",
        operation: "start",
        taskId,
        reason: `sourceCdnAuthenticationKey must be at most ${MAX_CDN_KEY_CHARS} characters`,
      });
    }
    body.source_cdn_authentication_key = cdnKey;
  }
  return body;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/** Maps a wire task to {@link SyncTask}; a task without a string `status` is an invalid response. */
export function parseTask(data: unknown, operation: OmsOperation, taskId?: string): SyncTask {
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw invalidResponse(operation, taskId, "the response is not a task object");
  }
  const w = data as SyncTaskWire;
  const status = str(w.status);
  if (!status) throw invalidResponse(operation, taskId, "the task in the response has no status");
  const cdn = w.source_cdn && typeof w.source_cdn === "object" ? w.source_cdn : undefined;
  const task: SyncTask = {
    syncTaskId: str(w.sync_task_id) ?? taskId ?? "",
    status,
    srcCloudType: str(w.src_cloud_type),
    srcRegion: str(w.src_region),
    srcBucket: str(w.src_bucket),
    dstRegion: str(w.dst_region),
    dstBucket: str(w.dst_bucket),
    description: str(w.description),
    createTime: num(w.create_time),
    lastStartTime: num(w.last_start_time),
    enableKms: bool(w.enable_kms),
    enableMetadataMigration: bool(w.enable_metadata_migration),
    enableRestore: bool(w.enable_restore),
    appId: str(w.app_id),
    sourceCdn: cdn
      ? { domain: str(cdn.domain), protocol: str(cdn.protocol), authenticationType: str(cdn.authentication_type) }
      : undefined,
    objectOverwriteMode: str(w.object_overwrite_mode),
    dstStoragePolicy: str(w.dst_storage_policy),
    consistencyCheck: str(w.consistency_check),
    monthlyAcceptanceRequest: num(w.monthly_acceptance_request),
    monthlySuccessObject: num(w.monthly_success_object),
    monthlyFailureObject: num(w.monthly_failure_object),
    monthlySkipObject: num(w.monthly_skip_object),
    monthlySize: num(w.monthly_size),
  };
  return compact(task);
}
