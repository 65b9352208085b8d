// The emulator's HTTP side: it listens, logs every request, plays armed faults, and hands the rest to the routes
// and the task store. The public face of the emulator is this class.
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo, Socket } from "net";
import { FaultQueue, playFault, Throttle } from "./faults";
import { Reply, omsError } from "./reply";
import { authenticate, parseRoute, type Route } from "./routes";
import { TaskStore } from "./task-store";
import type {
  EmulatedTask,
  EmulatorOptions,
  FaultRule,
  LoggedRequest,
  Operation,
  Status,
  TaskSeed,
  TrafficRecord,
} from "./types";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running emulator. Create with {@link OmsEmulator.start}; always {@link OmsEmulator.stop} it. */
export class OmsEmulator {
  readonly requests: LoggedRequest[] = [];
  readonly options: Required<Omit<EmulatorOptions, "port" | "maxTasksPerProject">>;
  private readonly store: TaskStore;
  private readonly faults = new FaultQueue();
  private readonly throttle = new Throttle();
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    options: EmulatorOptions,
  ) {
    this.options = {
      tokens: options.tokens ?? [],
      credentials: options.credentials ?? [],
      transitionDelayMs: options.transitionDelayMs ?? 0,
      opposingCall: options.opposingCall ?? "reverses",
      latencyMs: options.latencyMs ?? 0,
      missingTask: options.missingTask ?? 404,
      maxTasksPerAccount: options.maxTasksPerAccount ?? options.maxTasksPerProject ?? 5,
      now: options.now ?? Date.now,
      throttlePerSecond: options.throttlePerSecond ?? 0,
    };
    this.store = new TaskStore(this.options);
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

  /** Options that can change while running (delays, the answer to an opposing call, latency, missing-task mode). */
  configure(
    changes: Partial<
      Pick<EmulatorOptions, "transitionDelayMs" | "opposingCall" | "latencyMs" | "missingTask" | "throttlePerSecond">
    >,
  ): void {
    Object.assign(this.options, changes);
  }

  /** Adds a task directly (no account limit), as if created in the console. */
  seedTask(seed: TaskSeed): EmulatedTask {
    return this.store.seedTask(seed);
  }

  /** The task as it is now (pending transitions applied when due), or undefined. */
  task(projectId: string, id: string): EmulatedTask | undefined {
    return this.store.task(projectId, id);
  }

  /** Every task of every project (the account), pending transitions applied. */
  allTasks(): EmulatedTask[] {
    return this.store.allTasks();
  }

  /** Changes a task's status behind the client's back, as the console would. */
  setStatus(projectId: string, id: string, status: Status): void {
    this.store.setStatus(projectId, id, status);
  }

  /**
   * The bucket owners rotated the keys: from now on a start must carry `keys`. The task keeps running with the keys
   * it was last started with (`runningKeys`) until it is started again.
   */
  rotateKeys(projectId: string, id: string, keys: EmulatedTask["keys"]): void {
    this.store.rotateKeys(projectId, id, keys);
  }

  /** Books objects a task handled at a time (`record.at`, the emulator's clock): its statistics are summed from these. */
  recordTraffic(projectId: string, id: string, record: TrafficRecord): void {
    const task = this.store.task(projectId, id);
    if (!task) throw new Error(`no emulated task ${id} in project ${projectId}`);
    task.traffic.push({ ...record });
  }

  /** Removes a task behind the client's back. */
  removeTask(projectId: string, id: string): void {
    this.store.removeTask(projectId, id);
  }

  /** Plays `rule.fault` for the next `rule.times` matching requests. */
  inject(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
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
    const apply = () => void this.answer(req, url, body, route);
    if (this.throttle.exceeded(this.options.throttlePerSecond)) {
      entry.fault = "throttle";
      playFault({ kind: "throttle", retryAfter: "1" }, req, res, entry, apply, this.hung);
      return;
    }
    const fault = this.faults.take(route?.operation, route?.taskId);
    if (fault) {
      entry.fault = fault.kind;
      if (playFault(fault, req, res, entry, apply, this.hung)) return;
    }
    this.send(res, this.answer(req, url, body, route), entry);
  }

  private answer(req: http.IncomingMessage, url: string, body: Buffer, route: Route | undefined): Reply {
    const denied = authenticate(req, url, body, this.options);
    if (denied) return denied;
    if (!route) return omsError(404, "APIG.0101", "The API does not exist or has not been published.");
    const { operation, projectId, taskId, query } = route;
    if (operation === "create") return this.store.create(projectId, body);
    if (operation === "list") return this.store.list(projectId, query);
    return this.store.answerTask(operation, projectId, taskId ?? "", query, body);
  }

  private send(res: http.ServerResponse, reply: Reply, entry: LoggedRequest): void {
    entry.outcome = reply.status;
    const headers: Record<string, string> = { "X-Request-Id": randomUUID().replace(/-/g, "") };
    entry.requestId = headers["X-Request-Id"];
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    headers["Content-Type"] = "application/json;charset=UTF-8";
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify(reply.body));
  }
}
