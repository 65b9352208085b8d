// The account's tasks as OMS holds them, and what each operation does to them. Answers are `Reply`s; nothing here
// knows HTTP.
import { randomUUID } from "crypto";
import { CRYPTO_FIELDS, MAX_CDN_KEY, MAX_KEY, MAX_TASK_ID, checkCreateBody } from "./bodies";
import { DEFAULT_CRYPTO, startCryptoProblem } from "./crypto";
import { jsonObject, omsError, Reply } from "./reply";
import { statistics, syncEvents } from "./statistics";
import type { EmulatedTask, EmulatorOptions, Status, TaskSeed } from "./types";

const key = (projectId: string, id: string) => `${projectId}\u0000${id}`;
const target = (task: EmulatedTask): Status => task.pending?.target ?? task.status;

export class TaskStore {
  private readonly tasks = new Map<string, EmulatedTask>();

  constructor(private readonly options: Required<Omit<EmulatorOptions, "port" | "maxTasksPerProject">>) {}

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
      opposingCall: seed.opposingCall,
      traffic: [],
      events: [],
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

  private mustGet(projectId: string, id: string): EmulatedTask {
    const task = this.tasks.get(key(projectId, id));
    if (!task) throw new Error(`no emulated task ${id} in project ${projectId}`);
    return task;
  }

  settle(task: EmulatedTask): void {
    if (task.pending && this.options.now() >= task.pending.at) {
      task.status = task.pending.target;
      task.pending = undefined;
    }
  }

  /** Show, start, stop, delete, statistics or events of one task, by id. */
  answerTask(
    operation: "show" | "start" | "stop" | "delete" | "statistics" | "events",
    projectId: string,
    id: string,
    query: URLSearchParams,
    body: Buffer,
  ): Reply {
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
      case "statistics":
        return statistics(task, query);
      case "events":
        return syncEvents(task, body, this.options.now());
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
    if (this.already(task, "SYNCHRONIZING"))
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
    if (this.already(task, "STOPPED"))
      return omsError(400, "OMS.0066", "Failed to pause the task. The task is not in progress.");
    task.effectiveStops += 1;
    this.transition(task, "STOPPED");
    return new Reply(200, undefined);
  }

  /**
   * Whether a start (`to` SYNCHRONIZING) or stop is answered "already": the change under way, or the one done, is it.
   * An OMS that refuses an opposing call until a pending change is done judges from the status it shows instead.
   */
  private already(task: EmulatedTask, to: Status): boolean {
    if (target(task) === to) return true;
    return (task.opposingCall ?? this.options.opposingCall) === "refused-until-done" && task.status === to;
  }

  private transition(task: EmulatedTask, to: Status): void {
    if (this.options.transitionDelayMs <= 0) {
      task.status = to;
      task.pending = undefined;
      return;
    }
    task.pending = { target: to, at: this.options.now() + this.options.transitionDelayMs };
  }

  /** Creates a task from a create body, as OMS does: checked, counted against the account's quota, started. */
  create(projectId: string, raw: Buffer): Reply {
    const body = jsonObject(raw);
    if (body instanceof Reply) return body;
    const checked = checkCreateBody(body);
    if (checked instanceof Reply) return checked;
    const { cdn, crypto } = checked;
    const description = body.description;
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

  list(projectId: string, query: URLSearchParams): Reply {
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
