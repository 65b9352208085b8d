// The model's world: what a stack declares, what Pulumi state holds (the engine), what OMS should hold, the faults
// armed, and one engine command's run and rerun (the invariants that follow are in invariants.ts).
import type { OmsEmulator } from "../../emulator/oms-emulator";
import type { FaultRule, Operation, OpposingCall } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { API_KEY } from "../support/secrets";
import { InvariantViolation, type Kind, type Level, type ProviderProcess, type Props } from "./driver";
import { Engine } from "./engine";
import {
  assertCreatedRecorded,
  assertShape,
  auditEvents,
  auditSecrets,
  auditStarts,
  auditStatus,
  auditTasks,
  auditTimes,
  explain,
} from "./invariants";

/** How one level runs the model: its process, its time scale and its bounds. */
export interface LevelSettings {
  level: Level;
  /** The resources' timeoutSeconds. */
  timeoutSeconds: number;
  /** A timeoutSeconds some resources get instead: shorter than the slowest status change, so waits time out. */
  shortTimeoutSeconds: number;
  /** One request's timeout in the provider process, for invariant 7. */
  requestTimeoutMs: number;
  /** Scheduling slack allowed on top of invariant 7's bound. */
  slackMs: number;
  /** Multiplies the 0–3 s status-change delays (the lifecycle level runs them faster, as its poll schedule). */
  timeScale: number;
  startProcess(config: Record<string, string>): Promise<ProviderProcess>;
}

/** Start keys, as config or a resource's `credentials` name them. */
export interface KeySet {
  srcAk: string;
  srcSk: string;
  dstAk: string;
  dstSk: string;
  sourceCdnAuthenticationKey: string;
}

export type KmsKeys = { srcKmsKeyId?: string; dstKmsKeyId?: string; sourceCdnKmsKeyId?: string };

/** A resource as the program declares it. */
interface Declared {
  name: string;
  kind: Kind;
  program: Props;
  ownKeys?: KeySet;
  kms: KmsKeys;
  cdn: boolean;
  adopted: boolean;
}

/**
 * A fault armed for the next command. With `defer`, a command it makes fail is not rerun at once: the next engine
 * command comes first (a user who changes the program back, destroys or refreshes after a failed `up`), then the
 * rerun.
 */
export type FaultSpec = (
  | { kind: "throttle" | "unavailable" | "reset" | "apply-then-reset" | "hang"; op?: Operation }
  | { kind: "lost-create" }
  | { kind: "echo"; op?: Operation; secret: number; encoding: "raw" | "url" | "json"; status: 400 | 500; json: boolean }
  | { kind: "slow"; ms: number }
) & { defer?: boolean };

/** A failed command whose rerun waits for the next engine command. */
interface DeferredRerun {
  verb: "up" | "refresh" | "destroy" | "get";
  resource?: string;
}

/** What the runs did, for the soak's summary: how much of the model was exercised. */
export const modelStats = {
  steps: 0,
  firstFailures: 0,
  deferredReruns: 0,
  explainedRerunFailures: new Map<string, number>(),
  faultsPlayed: new Map<string, number>(),
  /** SyncEvent calls that succeeded, by method (a create is an event OMS accepted). */
  eventCalls: new Map<string, number>(),
};

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

const OTHER_PROJECT = "proj0000000000000000000000000002";
export const STATUS_FOR = { started: "SYNCHRONIZING", paused: "STOPPED" } as const;
export const QUOTA = 5;

/** Distinctive, deterministic secrets (reproducible by seed), with the characters encodings change. */
class Vault {
  readonly all: string[] = [API_KEY.accessKey, API_KEY.secretKey];
  private count = 0;

  plant(label: string): string {
    this.count += 1;
    const secret = `${label}.MBT${this.count}/a+b=c&d e`;
    this.all.push(secret);
    return secret;
  }

  keySet(): KeySet {
    return {
      srcAk: this.plant("srcak"),
      srcSk: this.plant("srcsk"),
      dstAk: this.plant("dstak"),
      dstSk: this.plant("dstsk"),
      sourceCdnAuthenticationKey: this.plant("cdnkey"),
    };
  }
}

/** Every way a secret could show in text: raw, URL-encoded (both cases), JSON-escaped. */
export function formsOf(secret: string): string[] {
  const url = encodeURIComponent(secret);
  return [secret, url, url.toLowerCase(), url.replace(/%20/g, "+"), JSON.stringify(secret).slice(1, -1)];
}

export class Sim {
  readonly vault = new Vault();
  readonly declared = new Map<string, Declared>();
  /** Tasks made outside Pulumi (the console), still in OMS. */
  readonly consoleAlive = new Set<string>();
  /** Tasks deleted out of band. */
  readonly gone = new Set<string>();
  /** The keys OMS requires to start each task: config's, or one resource's own. */
  readonly keySource = new Map<string, "config" | KeySet>();
  readonly taskKms = new Map<string, KmsKeys>();
  readonly taskCdn = new Set<string>();
  /** Every task id in the order it appeared, so that picks are reproducible whatever the ids are. */
  readonly known: string[] = [];
  /** Resources whose task the console changed since they last looked. */
  readonly drifted = new Set<string>();
  /**
   * Tasks running with keys that no resource holding them sent, since a resource last started them: started in the
   * console, or left running by a destroyed SyncTaskState. A resource that takes one over cannot know its keys.
   */
  readonly unknownKeys = new Set<string>();
  /** A failed command whose rerun comes after the next engine command. */
  private deferred?: DeferredRerun;
  /** A deferred rerun whose next engine command has run: it runs once that command is done. */
  private due?: DeferredRerun;
  armed?: FaultSpec;
  /** Resources the current provider process has been handed (their credentials are known to it). */
  readonly handed = new Set<string>();
  configKeys: KeySet;
  config: Record<string, string>;
  engine!: Engine;
  private counter = 0;

  private constructor(
    readonly settings: LevelSettings,
    readonly emulator: OmsEmulator,
  ) {
    this.configKeys = this.vault.keySet();
    this.config = this.configFor(this.configKeys);
  }

  /** A fresh world whose OMS answers an opposing call during a change as `opposingCall` says. */
  static async start(settings: LevelSettings, opposingCall: OpposingCall = "reverses"): Promise<Sim> {
    const sim = new Sim(settings, await startEmulator({ opposingCall }));
    sim.engine = new Engine(await settings.startProcess(sim.config), (t) => sim.limitMs(t));
    // Every sequence begins with two tasks made in the console, one with KMS: something to adopt and to manage.
    sim.seedConsoleTask({ kms: false, started: true, otherProject: false });
    sim.seedConsoleTask({ kms: true, started: false, otherProject: false });
    return sim;
  }

  async stop(): Promise<void> {
    await this.engine?.process.stop();
    await this.emulator.stop();
  }

  next(): number {
    this.counter += 1;
    return this.counter;
  }

  uuid(): string {
    return `00000000-0000-4000-8000-${String(this.next()).padStart(12, "0")}`;
  }

  limitMs(timeoutSeconds: number): number {
    return timeoutSeconds * 1000 + this.settings.requestTimeoutMs + this.settings.slackMs;
  }

  private configFor(keys: KeySet): Record<string, string> {
    return {
      "oms:endpoint": this.emulator.url,
      "oms:region": "cn-north-4",
      "oms:projectId": PROJECT_ID,
      "oms:accessKey": API_KEY.accessKey,
      "oms:secretKey": API_KEY.secretKey,
      ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`oms:${k}`, v])),
    };
  }

  // ---- the world -------------------------------------------------------------------------------------------------

  /** Tasks in OMS now (every project of the account). */
  omsTasks() {
    return this.emulator.allTasks();
  }

  /** The task a resource manages: its state entry's id, else the id its program adopts. */
  taskOf(name: string): string | undefined {
    const entry = this.engine.state.get(name);
    if (entry?.kind === "SyncEvent") return entry.inputs.syncTaskId as string;
    if (this.declared.get(name)?.kind === "SyncEvent") return this.declared.get(name)?.program.syncTaskId as string;
    return entry?.id ?? (this.declared.get(name)?.program.syncTaskId as string | undefined);
  }

  /** Tasks of this project that no resource declares or holds, in the order they appeared. */
  unmanaged(): string[] {
    // A SyncEvent names a task without managing it.
    const managed = new Set<string>();
    for (const [name, d] of this.declared) {
      const id = d.kind === "SyncEvent" ? undefined : this.taskOf(name);
      if (id) managed.add(id);
    }
    for (const entry of this.engine.state.values()) if (entry.kind !== "SyncEvent") managed.add(entry.id);
    const alive = new Set(
      this.omsTasks()
        .filter((t) => t.projectId === PROJECT_ID)
        .map((t) => t.id),
    );
    return this.known.filter((id) => alive.has(id) && !managed.has(id));
  }

  ourTasks(): string[] {
    const alive = new Set(
      this.omsTasks()
        .filter((t) => t.projectId === PROJECT_ID)
        .map((t) => t.id),
    );
    return this.known.filter((id) => alive.has(id));
  }

  keysOf(source: "config" | KeySet | undefined): KeySet {
    return source === undefined || source === "config" ? this.configKeys : source;
  }

  /** OMS now requires `source`'s keys to start task `id` (the bucket owners rotated them, or a new manager). */
  requireKeys(id: string, source: "config" | KeySet): void {
    this.keySource.set(id, source);
    const keys = this.keysOf(source);
    const task = this.omsTasks().find((t) => t.id === id);
    if (!task) return;
    this.emulator.rotateKeys(task.projectId, id, {
      srcAk: keys.srcAk,
      srcSk: keys.srcSk,
      dstAk: keys.dstAk,
      dstSk: keys.dstSk,
      cdnKey: this.taskCdn.has(id) ? keys.sourceCdnAuthenticationKey : undefined,
    });
  }

  async restart(config = this.config): Promise<void> {
    this.handed.clear();
    await this.engine.process.stop();
    this.config = config;
    this.engine.process = await this.settings.startProcess(config);
  }

  async rotateConfig(): Promise<void> {
    this.configKeys = this.vault.keySet();
    for (const [id, source] of this.keySource) if (source === "config") this.requireKeys(id, "config");
    await this.restart(this.configFor(this.configKeys));
  }

  seedConsoleTask(options: { kms: boolean; started: boolean; otherProject: boolean }): string {
    const n = this.next();
    const kms = options.kms ? { srcKmsKeyId: this.uuid(), dstKmsKeyId: this.uuid() } : {};
    const task = this.emulator.seedTask({
      id: `console-${n}`,
      projectId: options.otherProject ? OTHER_PROJECT : PROJECT_ID,
      status: options.started ? "SYNCHRONIZING" : "STOPPED",
      srcBucket: `console-src-${n}`,
      dstBucket: `console-dst-${n}`,
      description: `console ${n}`,
      definition: { src_cloud_type: "HuaweiCloud", src_region: "cn-north-4", dst_region: "cn-north-4" },
      kms,
    });
    this.consoleAlive.add(task.id);
    this.known.push(task.id);
    this.taskKms.set(task.id, kms);
    this.requireKeys(task.id, "config");
    return task.id;
  }

  /** The console's definition of a task, as a program adopting it declares it. */
  consoleDefinition(id: string): Props {
    const n = id.slice("console-".length);
    return {
      srcCloudType: "HuaweiCloud",
      srcRegion: "cn-north-4",
      srcBucket: `console-src-${n}`,
      dstRegion: "cn-north-4",
      dstBucket: `console-dst-${n}`,
      description: `console ${n}`,
      ...this.taskKms.get(id),
    };
  }

  // ---- faults ----------------------------------------------------------------------------------------------------

  /**
   * The secrets an echo may plant: config's start keys, the API secret key, and the own keys of every resource the
   * process has been handed, this command's included. (A process cannot mask a key no call ever gave it.)
   */
  private echoCandidates(): string[] {
    const own = [...this.declared.values()]
      .filter((d) => this.handed.has(d.name))
      .flatMap((d) => (d.ownKeys ? Object.values(d.ownKeys) : []));
    return [...Object.values(this.configKeys), API_KEY.secretKey, ...own];
  }

  private arm(fault: FaultSpec): void {
    const rule = (f: FaultRule["fault"], operation?: Operation) => this.emulator.inject({ fault: f, operation });
    switch (fault.kind) {
      case "throttle":
        return rule({ kind: "throttle", retryAfter: "1" }, fault.op);
      case "unavailable":
        return rule({ kind: "html", status: 503 }, fault.op);
      case "reset":
      case "apply-then-reset":
      case "hang":
        return rule({ kind: fault.kind }, fault.op);
      case "lost-create":
        return rule({ kind: "apply-then-reset" }, "create");
      case "echo": {
        const candidates = this.echoCandidates();
        const secret = candidates[fault.secret % candidates.length];
        const shown =
          fault.encoding === "url"
            ? encodeURIComponent(secret)
            : fault.encoding === "json"
              ? JSON.stringify(secret).slice(1, -1)
              : secret;
        const body = fault.json
          ? JSON.stringify({ error_code: "OMS.1001", error_msg: `key ${shown} was refused` })
          : `<html><title>refused ${shown}</title></html>`;
        return rule(
          { kind: "status", status: fault.status, body, contentType: fault.json ? undefined : "text/html" },
          fault.op,
        );
      }
      case "slow":
        this.emulator.configure({ transitionDelayMs: Math.round(fault.ms * this.settings.timeScale) });
        return;
    }
  }

  private disarm(): void {
    this.emulator.clearFaults();
    this.emulator.configure({ transitionDelayMs: 0 });
  }

  // ---- one engine command, its rerun, and the invariants -------------------------------------------------------

  /** Whether OMS is still carrying out a status change (one slower than a timeout that already ran out). */
  omsChanging(): boolean {
    return this.omsTasks().some((t) => t.pending !== undefined);
  }

  /**
   * Runs an engine command with the armed fault; after a failure, once more without faults (invariant 3), or, when
   * the fault was armed to defer, after the next engine command. A command with nothing injected (no fault armed,
   * OMS not still changing) must not fail unless OMS itself would refuse it. Then checks the invariants over
   * everything the command did; a rerun deferred by the command before runs once this command is done.
   */
  async step(label: string, resource: string | undefined, execute: () => Promise<void>): Promise<void> {
    const fromCall = this.engine.calls.length;
    const fromRequest = this.emulator.requests.length;
    const before = new Set(this.omsTasks().map((t) => t.id));
    const eventBefore = resource ? this.engine.state.get(resource) : undefined;
    if (resource) this.handed.add(resource);
    const fault = this.armed;
    this.armed = undefined;
    const injected = fault !== undefined || this.omsChanging();
    const waiting = this.deferred;
    this.deferred = undefined;
    if (fault) this.arm(fault);
    let failure: unknown;
    try {
      await execute();
    } catch (error) {
      failure = error;
    } finally {
      this.disarm();
    }
    modelStats.steps += 1;
    for (const r of this.emulator.requests.slice(fromRequest)) if (r.fault) count(modelStats.faultsPlayed, r.fault);
    for (const c of this.engine.calls.slice(fromCall)) {
      if (c.kind === "SyncEvent" && !c.failure) count(modelStats.eventCalls, c.method);
    }
    if (failure !== undefined) {
      modelStats.firstFailures += 1;
      assertShape(failure, label);
      assertCreatedRecorded(this, before, label);
      // A request that ran out of its own time on a loaded machine is the machine's, not the provider's: it gets the
      // rerun every failure gets (and invariant 7 still catches a hang).
      const slowMachine = /no response within/.test((failure as Error).message);
      if (!injected && !slowMachine && !explain(this, failure, resource)) {
        throw new InvariantViolation(3, `${label}: failed with nothing injected: ${(failure as Error).message}`);
      }
      if (fault?.defer) {
        modelStats.deferredReruns += 1;
        this.deferred = { verb: label.split(" ")[0] as DeferredRerun["verb"], resource };
      } else {
        const changing = this.omsChanging();
        try {
          await execute();
          failure = undefined;
        } catch (error) {
          assertShape(error, `${label} (rerun)`);
          // A rerun that starts while OMS is still carrying out the slow change may run out of time as well.
          const late = changing && /OMS did not show status/.test((error as Error).message);
          const why = late ? "OMS was still changing the task" : explain(this, error, resource);
          if (!why) {
            throw new InvariantViolation(3, `${label}: the rerun without faults failed: ${(error as Error).message}`);
          }
          count(modelStats.explainedRerunFailures, why);
          failure = error;
        }
      }
    }
    this.learnNewTasks();
    this.noteStarts(fromRequest);
    auditSecrets(this, label, fromCall, fromRequest);
    auditTimes(this, label, fromCall);
    auditStarts(this, label, fromRequest, resource);
    auditTasks(this, label);
    auditEvents(this, label, fromCall, fromRequest, resource, eventBefore);
    const isEvent = resource !== undefined && (this.declared.get(resource)?.kind ?? eventBefore?.kind) === "SyncEvent";
    if (failure === undefined && resource && !isEvent) auditStatus(this, label, resource, fromRequest);
    if (waiting) this.due = waiting;
  }

  /** Runs the deferred rerun whose next engine command just ended (every command calls this when it is done). */
  async rerunDue(): Promise<void> {
    const due = this.due;
    this.due = undefined;
    if (due) await this.rerunDeferred(due);
  }

  /**
   * The rerun of a command that failed before the last one, with the program as it is now: an `up` of a resource
   * still declared, a refresh of one still in state. A failed destroy the user went on from is not repeated (the
   * resource stays declared), nor a `get`.
   */
  private async rerunDeferred({ verb, resource }: DeferredRerun): Promise<void> {
    if (!resource) return;
    const d = this.declared.get(resource);
    if (verb === "up" && d) {
      await this.step(`up ${resource} (deferred rerun)`, resource, () => this.engine.up(resource, d.kind, d.program));
    } else if (verb === "refresh" && this.engine.state.has(resource)) {
      await this.step(`refresh ${resource} (deferred rerun)`, resource, () => this.engine.refresh(resource));
    }
  }

  /** A start sent by a resource replaces whatever keys a task was running with. */
  private noteStarts(fromRequest: number): void {
    for (const r of this.emulator.requests.slice(fromRequest)) {
      if (r.operation === "start" && r.taskId) this.unknownKeys.delete(r.taskId);
    }
  }

  /** Tasks that appeared through a SyncTask: who must start them with which keys and KMS ids from now on. */
  private learnNewTasks(): void {
    for (const id of this.engine.deleted.splice(0)) this.consoleAlive.delete(id);
    for (const [name, entry] of this.engine.state) {
      if (entry.kind === "SyncEvent") continue;
      if (!this.known.includes(entry.id)) this.known.push(entry.id);
      if (entry.kind !== "SyncTask" || this.keySource.has(entry.id)) continue;
      const declared = this.declared.get(name);
      this.keySource.set(entry.id, declared?.ownKeys ?? "config");
      this.taskKms.set(entry.id, declared?.kms ?? {});
      if (declared?.cdn) this.taskCdn.add(entry.id);
    }
  }
}
