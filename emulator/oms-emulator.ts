// An in-process OMS v2 sync-task service for tests and demos. It follows the documented wire format only and shares
// no code with the client.
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo, Socket } from "net";
import { verifyAkSk, type AkSkCredential } from "./aksk-verifier";
import { cryptoOfCreate, DEFAULT_CRYPTO, startCryptoProblem, type TaskCrypto } from "./crypto";

export type Operation = "create" | "list" | "show" | "start" | "stop" | "delete";
export type Status = "SYNCHRONIZING" | "STOPPED";

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

const MAX_KEY = 100;
/** Values create accepts, per field. */
const ENUMS: Record<string, string[]> = {
  src_cloud_type: [
    "AWS",
    "Azure",
    "Aliyun",
    "Tencent",
    "HuaweiCloud",
    "QingCloud",
    "KingsoftCloud",
    "Baidu",
    "Qiniu",
    "UCloud",
  ],
  dst_storage_policy: ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"],
  consistency_check: ["size_last_modified", "crc64", "transmission"],
};
const MAX_CDN_KEY = 255;
/** Bucket names are at most 63 characters on every cloud OMS reads from. */
const MAX_BUCKET = 63;
const CRYPTO_FIELDS = ["src_crypto_type", "src_kms_key_id", "dst_crypto_type", "dst_kms_key_id"];
const MAX_TASK_ID = 255;

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const omsError = (status: number, code: string, msg: string) => new Reply(status, { error_code: code, error_msg: msg });

/** A running emulator. Create with {@link OmsEmulator.start}; always {@link OmsEmulator.stop} it. */
export class OmsEmulator {
  readonly requests: LoggedRequest[] = [];
  readonly options: Required<Omit<EmulatorOptions, "port" | "maxTasksPerProject">>;
  private readonly tasks = new Map<string, EmulatedTask>();
  private readonly faults: (FaultRule & { left: number; skip: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<http.ServerResponse>();
  private window = { second: 0, count: 0 };

  private constructor(
    private readonly server: http.Server,
    options: EmulatorOptions,
  ) {
    this.options = {
      tokens: options.tokens ?? [],
      credentials: options.credentials ?? [],
      transitionDelayMs: options.transitionDelayMs ?? 0,
      latencyMs: options.latencyMs ?? 0,
      missingTask: options.missingTask ?? 404,
      maxTasksPerAccount: options.maxTasksPerAccount ?? options.maxTasksPerProject ?? 5,
      now: options.now ?? Date.now,
      throttlePerSecond: options.throttlePerSecond ?? 0,
    };
  }

  /** Starts listening on 127.0.0.1. */
  static async start(options: EmulatorOptions = {}): Promise<OmsEmulator> {
    const server = http.createServer();
    const emulator = new OmsEmulator(server, options);
    server.on("request", (req, res) => void emulator.handle(req, res));
    server.on("connection", (socket) => {
      emulator.sockets.add(socket);
      socket.on("close", () => emulator.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    return emulator;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Options that can change while running (delays, latency, missing-task mode). */
  configure(
    changes: Partial<Pick<EmulatorOptions, "transitionDelayMs" | "latencyMs" | "missingTask" | "throttlePerSecond">>,
  ): void {
    Object.assign(this.options, changes);
  }

  /** Adds a task directly (no account limit), as if created in the console. */
  seedTask(seed: TaskSeed): EmulatedTask {
    const task: EmulatedTask = {
      id: seed.id ?? randomUUID(),
      projectId: seed.projectId,
      status: seed.status ?? "STOPPED",
      keys: seed.keys ?? { srcAk: "src-ak", srcSk: "src-sk", dstAk: "dst-ak", dstSk: "dst-sk" },
      completed: seed.completed ?? false,
      srcBucket: seed.srcBucket ?? "source-bucket",
      dstBucket: seed.dstBucket ?? "destination-bucket",
      description: seed.description ?? "",
      definition: seed.definition ?? {},
      crypto: {
        src: seed.kms?.srcKmsKeyId ? { type: "KMS", kmsKeyId: seed.kms.srcKmsKeyId } : DEFAULT_CRYPTO.src,
        dst: seed.kms?.dstKmsKeyId ? { type: "KMS", kmsKeyId: seed.kms.dstKmsKeyId } : DEFAULT_CRYPTO.dst,
        cdn: seed.kms?.sourceCdnKmsKeyId ? { type: "KMS", kmsKeyId: seed.kms.sourceCdnKmsKeyId } : DEFAULT_CRYPTO.cdn,
      },
      createTime: this.options.now(),
      lastStartTime: seed.lastStartTime,
      effectiveStarts: 0,
      effectiveStops: 0,
    };
    this.tasks.set(key(task.projectId, task.id), task);
    return task;
  }

  /** The task as it is now (pending transitions applied when due), or undefined. */
  task(projectId: string, id: string): EmulatedTask | undefined {
    const task = this.tasks.get(key(projectId, id));
    if (task) this.settle(task);
    return task;
  }

  /** Changes a task's status behind the client's back, as the console would. */
  setStatus(projectId: string, id: string, status: Status): void {
    const task = this.mustGet(projectId, id);
    task.pending = undefined;
    task.status = status;
  }

  /**
   * The bucket owners rotated the keys: from now on a start must carry `keys`. The task keeps running with the keys
   * it was last started with (`runningKeys`) until it is started again.
   */
  rotateKeys(projectId: string, id: string, keys: EmulatedTask["keys"]): void {
    this.mustGet(projectId, id).keys = { ...keys };
  }

  /** Every task of every project (the account), pending transitions applied. */
  allTasks(): EmulatedTask[] {
    return [...this.tasks.values()].map((t) => (this.settle(t), t));
  }

  /** Removes a task behind the client's back. */
  removeTask(projectId: string, id: string): void {
    this.tasks.delete(key(projectId, id));
  }

  /** Plays `rule.fault` for the next `rule.times` matching requests. */
  inject(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  /** Logged requests, optionally only one operation's. */
  log(operation?: Operation): LoggedRequest[] {
    return operation ? this.requests.filter((r) => r.operation === operation) : [...this.requests];
  }

  /** Closes the server and every connection, hung ones included. */
  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private mustGet(projectId: string, id: string): EmulatedTask {
    const task = this.tasks.get(key(projectId, id));
    if (!task) throw new Error(`no emulated task ${id} in project ${projectId}`);
    return task;
  }

  private settle(task: EmulatedTask): void {
    if (task.pending && this.options.now() >= task.pending.at) {
      task.status = task.pending.target;
      task.pending = undefined;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? "/";
    const route = parseRoute(req.method ?? "GET", url);
    const entry: LoggedRequest = {
      method: req.method ?? "GET",
      url,
      operation: route?.operation,
      projectId: route?.projectId,
      taskId: route?.taskId,
      headers: req.headers,
      body: body.toString("utf8"),
      outcome: 0,
      at: this.options.now(),
    };
    this.requests.push(entry);
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    if (this.throttled()) {
      entry.fault = "throttle";
      this.playFault({ kind: "throttle", retryAfter: "1" }, req, res, body, route, entry);
      return;
    }

    const rule = this.faults.find(
      (f) =>
        f.left > 0 &&
        (f.operation === undefined || f.operation === route?.operation) &&
        (f.taskId === undefined || f.taskId === route?.taskId) &&
        (f.skip === 0 || ((f.skip -= 1), false)),
    );
    if (rule) {
      rule.left -= 1;
      entry.fault = rule.fault.kind;
      if (this.playFault(rule.fault, req, res, body, route, entry)) return;
    }
    const reply = this.answer(req, url, body, route);
    this.send(res, reply, entry);
  }

  private throttled(): boolean {
    if (this.options.throttlePerSecond <= 0) return false;
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.window.second) this.window = { second, count: 0 };
    this.window.count += 1;
    return this.window.count > this.options.throttlePerSecond;
  }

  /** Returns true when the fault fully handled the request. */
  private playFault(
    fault: Fault,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    route: Route | undefined,
    entry: LoggedRequest,
  ): boolean {
    switch (fault.kind) {
      case "status": {
        entry.outcome = fault.status;
        const echo = (text: string) =>
          text.replace(/\{\{([a-z0-9-]+)\}\}/g, (_m, name: string) => String(req.headers[name] ?? ""));
        const headers = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k, echo(v)]));
        res.writeHead(fault.status, { "Content-Type": fault.contentType ?? "application/json", ...headers });
        res.end(echo(fault.body ?? ""));
        return true;
      }
      case "throttle": {
        entry.outcome = 429;
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
        res.writeHead(429, headers);
        res.end(JSON.stringify({ error_code: "APIG.0308", error_msg: "The request is throttled." }));
        return true;
      }
      case "html":
        entry.outcome = fault.status;
        res.writeHead(fault.status, { "Content-Type": "text/html" });
        res.end(
          `<html><head><title>${fault.status} Gateway Error</title></head><body><h1>${fault.status}</h1><p>upstream unavailable</p></body></html>`,
        );
        return true;
      case "reset":
        entry.outcome = "reset";
        req.socket.destroy();
        return true;
      case "hang":
        entry.outcome = "hang";
        this.hung.add(res);
        res.on("close", () => this.hung.delete(res));
        return true;
      case "apply-then-reset":
        this.answer(req, req.url ?? "/", body, route);
        entry.outcome = "reset";
        req.socket.destroy();
        return true;
      case "drip": {
        entry.outcome = "hang";
        res.writeHead(fault.status ?? 200, { "Content-Type": "application/json" });
        this.hung.add(res);
        const timer = setInterval(() => res.write("{"), fault.intervalMs);
        res.on("close", () => {
          clearInterval(timer);
          this.hung.delete(res);
        });
        return true;
      }
      case "endless": {
        entry.outcome = "hang";
        const headers: Record<string, string | number> = { "Content-Type": "application/json" };
        if (fault.contentLength !== undefined) headers["Content-Length"] = fault.contentLength;
        res.writeHead(fault.status ?? 200, headers);
        this.hung.add(res);
        const chunk = Buffer.alloc(64 * 1024, "<");
        let open = true;
        res.on("close", () => {
          open = false;
          this.hung.delete(res);
        });
        const pump = () => {
          while (open && res.write(chunk));
          if (open) res.once("drain", pump);
        };
        pump();
        return true;
      }
    }
  }

  private send(res: http.ServerResponse, reply: Reply, entry: LoggedRequest): void {
    entry.outcome = reply.status;
    const headers: Record<string, string> = { "X-Request-Id": randomUUID().replace(/-/g, "") };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    headers["Content-Type"] = "application/json;charset=UTF-8";
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify(reply.body));
  }

  private authenticate(req: http.IncomingMessage, url: string, body: Buffer): Reply | undefined {
    const token = req.headers["x-auth-token"];
    if (typeof token === "string") {
      return this.options.tokens.includes(token) ? undefined : omsError(401, "APIG.0307", "The token must be updated.");
    }
    if (req.headers.authorization) {
      const result = verifyAkSk(
        req.method ?? "GET",
        url,
        req.headers,
        body,
        this.options.credentials,
        this.options.now(),
      );
      return result.ok ? undefined : omsError(401, result.code, result.message);
    }
    return omsError(401, "APIG.0301", "Incorrect IAM authentication information: no token or signature");
  }

  private answer(req: http.IncomingMessage, url: string, body: Buffer, route: Route | undefined): Reply {
    const denied = this.authenticate(req, url, body);
    if (denied) return denied;
    if (!route) return omsError(404, "APIG.0101", "The API does not exist or has not been published.");
    const { operation, projectId, taskId, query } = route;
    if (operation === "create") return this.create(projectId, body);
    if (operation === "list") return this.list(projectId, query);
    const id = taskId ?? "";
    if (id.length === 0 || id.length > MAX_TASK_ID) return omsError(400, "OMS.0054", "Invalid task ID.");
    const task = this.task(projectId, id);
    if (!task) {
      return this.options.missingTask === 404
        ? omsError(404, "OMS.1009", "The resource is not found.")
        : omsError(400, "OMS.1009", "The resource is not found.");
    }
    switch (operation) {
      case "show":
        if (!query.has("query_time")) return omsError(400, "OMS.0064", "Invalid request parameters: query_time.");
        return new Reply(200, this.view(task, true));
      case "start":
        return this.start(task, body);
      case "stop":
        return this.stopTask(task, body);
      case "delete":
        if (task.status === "SYNCHRONIZING" || task.pending?.target === "SYNCHRONIZING") {
          return omsError(400, "OMS.0063", "The task is in progress and cannot be deleted. Pause it first.");
        }
        this.tasks.delete(key(projectId, id));
        return new Reply(200, undefined);
    }
  }

  private start(task: EmulatedTask, raw: Buffer): Reply {
    const body = jsonObject(raw);
    if (body instanceof Reply) return body;
    for (const field of ["src_ak", "src_sk", "dst_ak", "dst_sk"]) {
      const value = body[field];
      if (value === undefined || value === null || value === "") {
        return omsError(400, "OMS.1004", `Required parameter missing: ${field}.`);
      }
      if (typeof value !== "string" || value.length > MAX_KEY) {
        return omsError(400, "OMS.0064", `Invalid request parameters: ${field}.`);
      }
    }
    const cdnKey = body.source_cdn_authentication_key;
    if (cdnKey !== undefined && (typeof cdnKey !== "string" || cdnKey.length > MAX_CDN_KEY)) {
      return omsError(400, "OMS.0064", "Invalid request parameters: source_cdn_authentication_key.");
    }
    // The encryption is part of the parameters: a start that leaves it out would hand OMS the keys unprotected.
    const cryptoProblem = startCryptoProblem(body, task.crypto);
    if (cryptoProblem) {
      return omsError(
        400,
        "OMS.0064",
        `Invalid request parameters: ${cryptoProblem} does not match the task's encryption.`,
      );
    }
    if (task.completed)
      return omsError(400, "OMS.0070", "The task has been completed and cannot be started or stopped.");
    if (target(task) === "SYNCHRONIZING")
      return omsError(400, "OMS.0065", "The task has been started and cannot be started again.");
    if (body.src_ak !== task.keys.srcAk || body.src_sk !== task.keys.srcSk) {
      return omsError(400, "OMS.1014", "Failed to read the source bucket. Check the source AK/SK and permissions.");
    }
    if (body.dst_ak !== task.keys.dstAk || body.dst_sk !== task.keys.dstSk) {
      return omsError(400, "OMS.1020", "Failed to access the destination bucket. Check the destination AK/SK.");
    }
    if (task.keys.cdnKey !== undefined && cdnKey !== task.keys.cdnKey) {
      return omsError(400, "OMS.1032", "The CDN authentication key is required.");
    }
    task.effectiveStarts += 1;
    task.lastStartTime = this.options.now();
    task.runningKeys = { ...task.keys };
    this.transition(task, "SYNCHRONIZING");
    return new Reply(200, undefined);
  }

  private stopTask(task: EmulatedTask, raw: Buffer): Reply {
    if (raw.length > 0) return omsError(400, "OMS.0064", "Invalid request parameters: stop takes no body.");
    if (task.completed)
      return omsError(400, "OMS.0070", "The task has been completed and cannot be started or stopped.");
    if (target(task) === "STOPPED")
      return omsError(400, "OMS.0066", "Failed to pause the task. The task is not in progress.");
    task.effectiveStops += 1;
    this.transition(task, "STOPPED");
    return new Reply(200, undefined);
  }

  private transition(task: EmulatedTask, to: Status): void {
    if (this.options.transitionDelayMs <= 0) {
      task.status = to;
      task.pending = undefined;
      return;
    }
    task.pending = { target: to, at: this.options.now() + this.options.transitionDelayMs };
  }

  private create(projectId: string, raw: Buffer): Reply {
    const body = jsonObject(raw);
    if (body instanceof Reply) return body;
    for (const field of [
      "src_bucket",
      "dst_bucket",
      "src_ak",
      "src_sk",
      "dst_ak",
      "dst_sk",
      "src_region",
      "dst_region",
    ]) {
      if (typeof body[field] !== "string" || body[field] === "") {
        return omsError(400, "OMS.1004", `Required parameter missing: ${field}.`);
      }
    }
    for (const field of ["src_ak", "src_sk", "dst_ak", "dst_sk"]) {
      if ((body[field] as string).length > MAX_KEY)
        return omsError(400, "OMS.0064", `Invalid request parameters: ${field}.`);
    }
    for (const [field, allowed] of Object.entries(ENUMS)) {
      if (body[field] !== undefined && !allowed.includes(body[field] as string)) {
        return omsError(400, "OMS.0064", `Invalid request parameters: ${field}.`);
      }
    }
    const description = body.description;
    if (
      description !== undefined &&
      (typeof description !== "string" || description.length > 255 || /[<>()"'&]/.test(description))
    ) {
      return omsError(400, "OMS.0078", "The description contains illegal characters.");
    }
    if ((body.src_cloud_type ?? "Aliyun") === "Tencent" && typeof body.app_id !== "string") {
      return omsError(400, "OMS.1004", "Required parameter missing: app_id.");
    }
    for (const field of ["src_bucket", "dst_bucket"]) {
      if ((body[field] as string).length > MAX_BUCKET) {
        return omsError(
          400,
          "OMS.0064",
          `Invalid request parameters: ${field} exceeds the maximum length of ${MAX_BUCKET} characters.`,
        );
      }
    }
    const cdn =
      body.source_cdn && typeof body.source_cdn === "object" ? (body.source_cdn as Record<string, unknown>) : undefined;
    const crypto = cryptoOfCreate(body, cdn);
    if (typeof crypto === "string") return omsError(400, "OMS.0064", `Invalid request parameters: ${crypto}.`);
    // OMS counts sync tasks per account (tenant), whichever project they are in.
    if (this.tasks.size >= this.options.maxTasksPerAccount) {
      return omsError(
        400,
        "OMS.0064",
        `Invalid request parameters: the number of sync tasks has reached the upper limit (${this.options.maxTasksPerAccount}).`,
      );
    }
    const definition: Record<string, unknown> = { src_cloud_type: "Aliyun" };
    for (const [key, value] of Object.entries(body)) {
      if (!["src_ak", "src_sk", "dst_ak", "dst_sk", "source_cdn", ...CRYPTO_FIELDS].includes(key)) {
        definition[key] = value;
      }
    }
    if (cdn) {
      definition.source_cdn = {
        domain: cdn.domain,
        protocol: cdn.protocol,
        authentication_type: cdn.authentication_type,
      };
    }
    const delayed = this.options.transitionDelayMs > 0;
    const task = this.seedTask({
      projectId,
      status: delayed ? "STOPPED" : "SYNCHRONIZING",
      keys: {
        srcAk: String(body.src_ak),
        srcSk: String(body.src_sk),
        dstAk: String(body.dst_ak),
        dstSk: String(body.dst_sk),
        cdnKey: typeof cdn?.authentication_key === "string" ? cdn.authentication_key : undefined,
      },
      srcBucket: String(body.src_bucket),
      dstBucket: String(body.dst_bucket),
      description: typeof description === "string" ? description : "",
      lastStartTime: this.options.now(),
      definition,
    });
    task.crypto = crypto;
    // OMS starts a new task by itself.
    if (delayed) this.transition(task, "SYNCHRONIZING");
    task.runningKeys = { ...task.keys };
    task.effectiveStarts += 1;
    return new Reply(200, { sync_task_id: task.id });
  }

  private list(projectId: string, query: URLSearchParams): Reply {
    const limit = Number(query.get("limit") ?? "10");
    const offset = Number(query.get("offset") ?? "0");
    const status = query.get("status");
    if (
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 100 ||
      !Number.isInteger(offset) ||
      offset < 0 ||
      offset > 10000
    ) {
      return omsError(400, "OMS.0064", "Invalid request parameters: limit or offset.");
    }
    if (status !== null && status !== "SYNCHRONIZING" && status !== "STOPPED") {
      return omsError(400, "OMS.0064", "Invalid request parameters: status.");
    }
    const all = [...this.tasks.values()]
      .filter((t) => t.projectId === projectId)
      .map((t) => (this.settle(t), t))
      .filter((t) => status === null || t.status === status);
    return new Reply(200, {
      tasks: all.slice(offset, offset + limit).map((t) => this.view(t, false)),
      count: all.length,
    });
  }

  private view(task: EmulatedTask, withMonthly: boolean): Record<string, unknown> {
    const d = task.definition;
    const out: Record<string, unknown> = {
      sync_task_id: task.id,
      src_cloud_type: d.src_cloud_type ?? "HuaweiCloud",
      src_region: d.src_region ?? "cn-north-4",
      src_bucket: task.srcBucket,
      dst_region: d.dst_region ?? "cn-north-4",
      dst_bucket: task.dstBucket,
      description: task.description,
      status: task.status,
      create_time: task.createTime,
      enable_metadata_migration: d.enable_metadata_migration ?? false,
      enable_restore: d.enable_restore ?? false,
      object_overwrite_mode: "CRC64_COMPARISON_OVERWRITE",
      dst_storage_policy: d.dst_storage_policy ?? "STANDARD",
      consistency_check: d.consistency_check ?? "size_last_modified",
    };
    if (typeof d.app_id === "string") out.app_id = d.app_id;
    // Show has no source_cdn; list items have it (without its key).
    if (!withMonthly && d.source_cdn) out.source_cdn = d.source_cdn;
    if (task.lastStartTime !== undefined) out.last_start_time = task.lastStartTime;
    if (withMonthly) {
      Object.assign(out, {
        monthly_acceptance_request: 0,
        monthly_success_object: 0,
        monthly_failure_object: 0,
        monthly_skip_object: 0,
        monthly_size: 0,
      });
    }
    return out;
  }
}

interface Route {
  operation: Operation;
  projectId: string;
  taskId?: string;
  query: URLSearchParams;
}

function parseRoute(method: string, rawUrl: string): Route | undefined {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1));
  const parts = path
    .split("/")
    .slice(1)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  // Any base path may precede /v2/{project}/sync-tasks.
  const v2 = parts.lastIndexOf("sync-tasks") - 2;
  if (v2 < 0 || parts[v2] !== "v2") return undefined;
  const projectId = parts[v2 + 1];
  const rest = parts.slice(v2 + 3);
  if (rest.length === 0 && method === "POST") return { operation: "create", projectId, query };
  if (rest.length === 0 && method === "GET") return { operation: "list", projectId, query };
  const taskId = rest[0];
  if (rest.length === 1 && method === "GET") return { operation: "show", projectId, taskId, query };
  if (rest.length === 1 && method === "DELETE") return { operation: "delete", projectId, taskId, query };
  if (rest.length === 2 && method === "POST" && rest[1] === "start")
    return { operation: "start", projectId, taskId, query };
  if (rest.length === 2 && method === "POST" && rest[1] === "stop")
    return { operation: "stop", projectId, taskId, query };
  return undefined;
}

/** A request body as a JSON object, or the OMS.0067 answer. */
function jsonObject(raw: Buffer): Record<string, unknown> | Reply {
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  return omsError(400, "OMS.0067", "The request body is not in JSON format.");
}

const key = (projectId: string, id: string) => `${projectId}\u0000${id}`;
const target = (task: EmulatedTask): Status => task.pending?.target ?? task.status;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
