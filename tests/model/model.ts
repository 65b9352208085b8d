// The model: what a stack declares, what Pulumi state holds (the engine), what OMS should hold, and the commands a
// user, the console and a broken network perform, each followed by the package's seven promises (invariants).
import fc from "fast-check";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import type { FaultRule, Operation } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { API_KEY, signaturesIn } from "../support/secrets";
import { CallFailure, InvariantViolation, type Kind, type Level, type ProviderProcess, type Props } from "./driver";
import { CheckRefused, Engine } from "./engine";

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

type KmsKeys = { srcKmsKeyId?: string; dstKmsKeyId?: string; sourceCdnKmsKeyId?: string };

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

/** A fault armed for the next command. */
export type FaultSpec =
  | { kind: "throttle" | "unavailable" | "reset" | "apply-then-reset" | "hang"; op?: Operation }
  | { kind: "lost-create" }
  | { kind: "echo"; op?: Operation; secret: number; encoding: "raw" | "url" | "json"; status: 400 | 500; json: boolean }
  | { kind: "slow"; ms: number };

/** What the runs did, for the soak's summary: how much of the model was exercised. */
export const modelStats = {
  steps: 0,
  firstFailures: 0,
  explainedRerunFailures: new Map<string, number>(),
  faultsPlayed: new Map<string, number>(),
};

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

const OTHER_PROJECT = "proj0000000000000000000000000002";
const STATUS_FOR = { started: "SYNCHRONIZING", paused: "STOPPED" } as const;
const QUOTA = 5;

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
function formsOf(secret: string): string[] {
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

  static async start(settings: LevelSettings): Promise<Sim> {
    const sim = new Sim(settings, await startEmulator());
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
    return this.engine.state.get(name)?.id ?? (this.declared.get(name)?.program.syncTaskId as string | undefined);
  }

  /** Tasks of this project that no resource declares or holds, in the order they appeared. */
  unmanaged(): string[] {
    const managed = new Set<string>();
    for (const name of this.declared.keys()) {
      const id = this.taskOf(name);
      if (id) managed.add(id);
    }
    for (const entry of this.engine.state.values()) managed.add(entry.id);
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

  /**
   * Runs an engine command with the armed fault; after a failure, once more without faults (invariant 3). Then
   * checks the invariants over everything the command did.
   */
  async step(label: string, resource: string | undefined, execute: () => Promise<void>): Promise<void> {
    const fromCall = this.engine.calls.length;
    const fromRequest = this.emulator.requests.length;
    const before = new Set(this.omsTasks().map((t) => t.id));
    if (resource) this.handed.add(resource);
    const fault = this.armed;
    this.armed = undefined;
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
    if (failure !== undefined) {
      modelStats.firstFailures += 1;
      this.assertShape(failure, label);
      this.assertCreatedRecorded(before, label);
      try {
        await execute();
        failure = undefined;
      } catch (error) {
        this.assertShape(error, `${label} (rerun)`);
        const why = this.explain(error, resource);
        if (!why) {
          throw new InvariantViolation(3, `${label}: the rerun without faults failed: ${(error as Error).message}`);
        }
        count(modelStats.explainedRerunFailures, why);
        failure = error;
      }
    }
    this.learnNewTasks();
    this.auditSecrets(label, fromCall, fromRequest);
    this.auditTimes(label, fromCall);
    this.auditStarts(label, fromRequest, resource);
    this.auditTasks(label);
    if (failure === undefined && resource) this.auditStatus(label, resource, fromRequest);
  }

  /** Invariant 6: a failure is an `OmsError` with a stable code (or reads as one through the plugin). */
  private assertShape(error: unknown, label: string): void {
    if (error instanceof InvariantViolation) throw error;
    if (error instanceof CheckRefused) throw new InvariantViolation(6, `${label}: ${error.message}`);
    if (!(error instanceof CallFailure)) {
      throw new InvariantViolation(6, `${label}: not a provider failure: ${String(error)}`);
    }
    if (!error.stable) throw new InvariantViolation(6, `${label}: not an OmsError with a stable code: ${error.text}`);
  }

  /** Invariant 3: a task created by a failed command is recorded in state, so the rerun updates it. */
  private assertCreatedRecorded(before: Set<string>, label: string): void {
    const recorded = new Set([...this.engine.state.values()].map((e) => e.id));
    const lost = this.omsTasks()
      .map((t) => t.id)
      .filter((id) => !before.has(id) && !recorded.has(id));
    if (lost.length > 0)
      throw new InvariantViolation(3, `${label}: task ${lost.join(", ")} was created but not recorded`);
  }

  /** Why a failure of the clean rerun is what OMS would do too, or `undefined` when nothing explains it. */
  private explain(error: unknown, resource: string | undefined): string | undefined {
    const text = error instanceof CallFailure ? error.text : String(error);
    const id = resource ? this.taskOf(resource) : undefined;
    if (id && this.gone.has(id) && /OMS\.1009|OMS\.0054/.test(text)) return "its task was deleted out of band";
    // The quota is per account; "quota" may be said only when this project alone holds that many tasks.
    const here = this.ourTasks().length;
    if (/as many sync tasks as OMS allows/.test(text)) return here >= QUOTA ? "the project is at the quota" : undefined;
    if (this.omsTasks().length >= QUOTA && /upper limit/.test(text)) return "the account is at its quota";
    if (/exceeds the maximum length/.test(text)) return "OMS refuses a bucket name over 63 characters";
    return undefined;
  }

  /** Tasks that appeared through a SyncTask: who must start them with which keys and KMS ids from now on. */
  private learnNewTasks(): void {
    for (const id of this.engine.deleted.splice(0)) this.consoleAlive.delete(id);
    for (const [name, entry] of this.engine.state) {
      if (!this.known.includes(entry.id)) this.known.push(entry.id);
      if (entry.kind !== "SyncTask" || this.keySource.has(entry.id)) continue;
      const declared = this.declared.get(name);
      this.keySource.set(entry.id, declared?.ownKeys ?? "config");
      this.taskKms.set(entry.id, declared?.kms ?? {});
      if (declared?.cdn) this.taskCdn.add(entry.id);
    }
  }

  /** Invariant 4: no planted secret, in any encoding, in anything the provider returned, threw or printed. */
  private auditSecrets(label: string, fromCall: number, fromRequest: number): void {
    const texts = this.engine.calls.slice(fromCall).map((c) => `${c.kind}.${c.method}: ${c.text}`);
    texts.push(`process output: ${this.engine.process.drainOutput()}`);
    const signatures = signaturesIn(this.emulator.requests.slice(fromRequest).map((r) => r.headers));
    for (const secret of [...this.vault.all, ...signatures]) {
      for (const form of formsOf(secret)) {
        const leak = texts.find((t) => t.includes(form));
        if (leak) {
          throw new InvariantViolation(4, `${label}: a secret (${secret.slice(0, 8)}…) shows in ${leak.slice(0, 300)}`);
        }
      }
    }
  }

  /** Invariant 7: every call ends within timeoutSeconds plus one request timeout. */
  private auditTimes(label: string, fromCall: number): void {
    for (const call of this.engine.calls.slice(fromCall)) {
      const limit = this.limitMs(call.timeoutSeconds);
      if (call.ms > limit) {
        throw new InvariantViolation(7, `${label}: ${call.kind}.${call.method} took ${call.ms} ms (limit ${limit} ms)`);
      }
    }
  }

  /** Invariant 5: every start (and create) carries the keys now configured for its resource and the task's KMS. */
  private auditStarts(label: string, fromRequest: number, resource: string | undefined): void {
    const declared = resource ? this.declared.get(resource) : undefined;
    for (const request of this.emulator.requests.slice(fromRequest)) {
      if (request.operation !== "start" && request.operation !== "create") continue;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        throw new InvariantViolation(5, `${label}: a ${request.operation} body is not JSON`);
      }
      const creating = request.operation === "create";
      const id = request.taskId ?? "";
      const source = creating || !this.keySource.has(id) ? (declared?.ownKeys ?? "config") : this.keySource.get(id);
      const keys = this.keysOf(source);
      const kms = creating || !this.taskKms.has(id) ? (declared?.kms ?? {}) : (this.taskKms.get(id) ?? {});
      const cdn = creating ? ((body.source_cdn ?? {}) as Record<string, unknown>) : undefined;
      const want: Record<string, unknown> = {
        src_ak: keys.srcAk,
        src_sk: keys.srcSk,
        dst_ak: keys.dstAk,
        dst_sk: keys.dstSk,
        src_crypto_type: kms.srcKmsKeyId ? "KMS" : undefined,
        src_kms_key_id: kms.srcKmsKeyId,
        dst_crypto_type: kms.dstKmsKeyId ? "KMS" : undefined,
        dst_kms_key_id: kms.dstKmsKeyId,
      };
      const got: Record<string, unknown> = Object.fromEntries(Object.keys(want).map((k) => [k, body[k]]));
      if (creating) {
        if (declared?.cdn) {
          want.cdn_key = keys.sourceCdnAuthenticationKey;
          want.cdn_crypto = kms.sourceCdnKmsKeyId ? "KMS" : undefined;
          want.cdn_kms = kms.sourceCdnKmsKeyId;
          got.cdn_key = cdn?.authentication_key;
          got.cdn_crypto = cdn?.crypto_type;
          got.cdn_kms = cdn?.kms_key_id;
        }
      } else {
        want.source_cdn_authentication_key = keys.sourceCdnAuthenticationKey;
        want.source_cdn_crypto_type = kms.sourceCdnKmsKeyId ? "KMS" : undefined;
        want.source_cdn_kms_key_id = kms.sourceCdnKmsKeyId;
        for (const k of ["source_cdn_authentication_key", "source_cdn_crypto_type", "source_cdn_kms_key_id"]) {
          got[k] = body[k];
        }
      }
      const wrong = Object.keys(want).filter((k) => want[k] !== got[k]);
      if (wrong.length > 0) {
        throw new InvariantViolation(
          5,
          `${label}: a ${request.operation}${id ? ` of ${id}` : ""} sent other values for ${wrong.join(", ")}`,
        );
      }
    }
  }

  /** Invariant 2: OMS holds exactly the tasks the model accounts for, no orphan and no duplicate. */
  private auditTasks(label: string): void {
    const ids = this.omsTasks().map((t) => t.id);
    const ours = [...this.engine.state.values()].filter((e) => e.kind === "SyncTask").map((e) => e.id);
    const duplicates = ours.filter((id, i) => ours.indexOf(id) !== i);
    if (duplicates.length > 0) {
      throw new InvariantViolation(2, `${label}: two SyncTasks hold task ${duplicates.join(", ")}`);
    }
    const expected = new Set([...this.consoleAlive, ...ours].filter((id) => !this.gone.has(id)));
    const orphans = ids.filter((id) => !expected.has(id));
    const missing = [...expected].filter((id) => !ids.includes(id));
    if (orphans.length > 0 || missing.length > 0) {
      throw new InvariantViolation(
        2,
        `${label}: OMS holds ${orphans.length} task(s) nobody accounts for (${orphans.join(", ")}) and lacks ${missing.length} (${missing.join(", ")})`,
      );
    }
  }

  /** Invariant 1: after a success, OMS shows the status for `state`, and the outputs agree. */
  private auditStatus(label: string, name: string, fromRequest: number): void {
    const entry = this.engine.state.get(name);
    if (!entry || this.gone.has(entry.id)) return;
    const looked = this.emulator.requests.slice(fromRequest).some((r) => r.taskId === entry.id);
    if (looked) this.drifted.delete(name);
    if (this.drifted.has(name)) return;
    const task = this.omsTasks().find((t) => t.id === entry.id);
    if (!task) return;
    const state = entry.outputs.state as "started" | "paused";
    const declared = this.declared.get(name);
    if (declared && label.startsWith("up") && state !== declared.program.state) {
      throw new InvariantViolation(1, `${label}: state ${state} recorded, ${String(declared.program.state)} declared`);
    }
    if (task.status !== STATUS_FOR[state] || entry.outputs.status !== task.status) {
      throw new InvariantViolation(
        1,
        `${label}: ${name} records state ${state} and status ${String(entry.outputs.status)}, OMS shows ${task.status}`,
      );
    }
    if (entry.kind === "SyncTask" && entry.outputs.syncTaskId !== entry.id) {
      throw new InvariantViolation(1, `${label}: ${name}'s syncTaskId output is not its id`);
    }
  }
}

// ---- commands ------------------------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Sim, Sim, false>;
const TASK_SLOTS = ["T0", "T1", "T2"] as const;
const STATE_SLOTS = ["S0", "S1"] as const;

function up(sim: Sim, name: string): Promise<void> {
  const d = sim.declared.get(name);
  if (!d) return Promise.resolve();
  return sim.step(`up ${name}`, name, () => sim.engine.up(name, d.kind, d.program));
}

/** The n-th of `names` (wrapping), or `undefined` when there is none: commands name resources by position. */
function nth(names: string[], pick: number): string | undefined {
  return names.length === 0 ? undefined : names[pick % names.length];
}

const freeSlot = (m: Sim, slots: readonly string[]) => slots.find((slot) => !m.declared.has(slot));
const declaredNames = (m: Sim) => [...m.declared.keys()].sort();

/** A bucket name longer than OMS takes (63): check lets it through, OMS refuses it with a "maximum length" 400. */
const LONG_BUCKET = "b".repeat(64);

class DeclareTask implements Cmd {
  constructor(
    readonly a: { started: boolean; kms: boolean; cdn: boolean; ownKeys: boolean; longBucket: boolean; short: boolean },
  ) {}
  check = (m: Sim) => freeSlot(m, TASK_SLOTS) !== undefined;
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, TASK_SLOTS)!;
    const { started, kms, cdn, ownKeys, longBucket } = this.a;
    const n = sim.next();
    const ids: KmsKeys = kms ? { srcKmsKeyId: sim.uuid(), dstKmsKeyId: sim.uuid() } : {};
    if (kms && cdn) ids.sourceCdnKmsKeyId = sim.uuid();
    const keys = ownKeys ? sim.vault.keySet() : undefined;
    const program: Props = {
      srcCloudType: "HuaweiCloud",
      srcRegion: "cn-north-4",
      srcBucket: `src-${slot.toLowerCase()}-${n}`,
      dstRegion: "cn-north-4",
      dstBucket: longBucket ? LONG_BUCKET : `dst-${slot.toLowerCase()}-${n}`,
      description: `model ${slot} ${n}`,
      state: started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
      ...ids,
      ...(cdn
        ? {
            sourceCdn: {
              domain: `cdn-${n}.example.com`,
              protocol: "https",
              authenticationType: "QINIU_PRIVATE_AUTHENTICATION",
            },
          }
        : {}),
      ...(keys ? { credentials: keys } : {}),
    };
    sim.declared.set(slot, { name: slot, kind: "SyncTask", program, ownKeys: keys, kms: ids, cdn, adopted: false });
    await up(sim, slot);
    // The user reads OMS's refusal and shortens the name; later commands run with the program fixed.
    if (longBucket) program.dstBucket = `dst-${slot.toLowerCase()}-${n}`;
  }
  toString = () => `declareTask(${JSON.stringify(this.a)})`;
}

class AdoptTask implements Cmd {
  constructor(readonly a: { pick: number; started: boolean; short: boolean }) {}
  check = (m: Sim) => freeSlot(m, TASK_SLOTS) !== undefined && m.unmanaged().some((id) => id.startsWith("console-"));
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, TASK_SLOTS)!;
    const id = nth(
      sim.unmanaged().filter((t) => t.startsWith("console-")),
      this.a.pick,
    );
    if (!id) return;
    const program = {
      ...sim.consoleDefinition(id),
      syncTaskId: id,
      state: this.a.started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
    };
    sim.declared.set(slot, {
      name: slot,
      kind: "SyncTask",
      program,
      kms: sim.taskKms.get(id) ?? {},
      cdn: false,
      adopted: true,
    });
    sim.requireKeys(id, "config");
    await up(sim, slot);
  }
  toString = () => `adoptTask(${JSON.stringify(this.a)})`;
}

class DeclareState implements Cmd {
  constructor(readonly a: { pick: number; started: boolean; ownKeys: boolean; short: boolean }) {}
  check = (m: Sim) => freeSlot(m, STATE_SLOTS) !== undefined && m.unmanaged().length > 0;
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, STATE_SLOTS)!;
    const id = nth(sim.unmanaged(), this.a.pick);
    if (!id) return;
    const keys = this.a.ownKeys ? sim.vault.keySet() : undefined;
    const kms = sim.taskKms.get(id) ?? {};
    const program: Props = {
      syncTaskId: id,
      state: this.a.started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
      ...kms,
      ...(keys ? { credentials: keys } : {}),
    };
    sim.declared.set(slot, {
      name: slot,
      kind: "SyncTaskState",
      program,
      ownKeys: keys,
      kms,
      cdn: false,
      adopted: false,
    });
    sim.requireKeys(id, keys ?? "config");
    await up(sim, slot);
  }
  toString = () => `declareState(${JSON.stringify(this.a)})`;
}

class Flip implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(declaredNames(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    d.program = { ...d.program, state: d.program.state === "started" ? "paused" : "started" };
    await up(sim, name);
  }
  toString = () => `flip(${this.pick})`;
}

const redefinable = (m: Sim) =>
  declaredNames(m).filter((n) => m.declared.get(n)?.kind === "SyncTask" && !m.declared.get(n)?.adopted);

class Redefine implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => redefinable(m).length > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(redefinable(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    d.program = { ...d.program, description: `model ${name} ${sim.next()}` };
    await up(sim, name);
  }
  toString = () => `redefine(${this.pick})`;
}

class RotateOwnKeys implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(declaredNames(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    const keys = sim.vault.keySet();
    d.ownKeys = keys;
    d.program = { ...d.program, credentials: keys };
    // The bucket owners rotated: OMS wants the new keys for this resource's task from now on.
    const id = sim.taskOf(name);
    if (id) sim.requireKeys(id, keys);
    await up(sim, name);
  }
  toString = () => `rotateCredentials(${this.pick})`;
}

class RotateConfigKeys implements Cmd {
  check = () => true;
  async run(_m: Sim, sim: Sim) {
    await sim.rotateConfig();
  }
  toString = () => "rotateConfigKeysAndRestart()";
}

class Up implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  run = (_m: Sim, sim: Sim) => up(sim, nth(declaredNames(sim), this.pick)!);
  toString = () => `up(${this.pick})`;
}

const inState = (m: Sim) => [...m.engine.state.keys()].sort();

class Refresh implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.engine.state.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(inState(sim), this.pick)!;
    await sim.step(`refresh ${name}`, name, () => sim.engine.refresh(name));
  }
  toString = () => `refresh(${this.pick})`;
}

class Destroy implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(declaredNames(sim), this.pick)!;
    if (sim.engine.state.has(name)) {
      await sim.step(`destroy ${name}`, name, () => sim.engine.destroy(name));
    }
    if (!sim.engine.state.has(name)) sim.declared.delete(name);
  }
  toString = () => `destroy(${this.pick})`;
}

class Get implements Cmd {
  constructor(readonly a: { kind: Kind; pick: number }) {}
  check = (m: Sim) => m.ourTasks().length > 0;
  async run(_m: Sim, sim: Sim) {
    const tasks = sim.ourTasks();
    if (tasks.length === 0) return;
    const id = tasks[this.a.pick % tasks.length];
    const before = JSON.stringify([...sim.engine.state]);
    let shown: Props | undefined;
    await sim.step(`get ${this.a.kind} ${id}`, undefined, async () => {
      shown = await sim.engine.get(this.a.kind, id);
    });
    const status = sim.omsTasks().find((t) => t.id === id)?.status;
    if (shown && status && shown.status !== status) {
      throw new InvariantViolation(1, `get ${id}: status ${String(shown.status)}, OMS shows ${status}`);
    }
    if (JSON.stringify([...sim.engine.state]) !== before) throw new InvariantViolation(2, `get ${id} changed state`);
  }
  toString = () => `get(${JSON.stringify(this.a)})`;
}

class Console implements Cmd {
  constructor(readonly a: { pick: number; action: "pause" | "start" | "delete" }) {}
  check = (m: Sim) => m.omsTasks().length > 0;
  async run(_m: Sim, sim: Sim) {
    const alive = new Set(sim.omsTasks().map((t) => t.id));
    const tasks = sim.known.filter((id) => alive.has(id));
    if (tasks.length === 0) return;
    const id = tasks[this.a.pick % tasks.length];
    const task = sim.omsTasks().find((t) => t.id === id)!;
    if (this.a.action === "delete") {
      sim.emulator.removeTask(task.projectId, id);
      sim.consoleAlive.delete(id);
      sim.gone.add(id);
    } else {
      sim.emulator.setStatus(task.projectId, id, this.a.action === "start" ? "SYNCHRONIZING" : "STOPPED");
    }
    for (const [name, entry] of sim.engine.state) if (entry.id === id) sim.drifted.add(name);
  }
  toString = () => `console(${JSON.stringify(this.a)})`;
}

class ConsoleCreate implements Cmd {
  constructor(readonly a: { kms: boolean; started: boolean; otherProject: boolean }) {}
  check = (m: Sim) => m.omsTasks().length < QUOTA;
  async run(_m: Sim, sim: Sim) {
    if (sim.omsTasks().length < QUOTA) sim.seedConsoleTask(this.a);
  }
  toString = () => `consoleCreate(${JSON.stringify(this.a)})`;
}

class Arm implements Cmd {
  constructor(readonly fault: FaultSpec) {}
  check = (m: Sim) => m.armed === undefined;
  async run(_m: Sim, sim: Sim) {
    sim.armed = this.fault;
  }
  toString = () => `arm(${JSON.stringify(this.fault)})`;
}

class Restart implements Cmd {
  check = () => true;
  run = (_m: Sim, sim: Sim) => sim.restart();
  toString = () => "restartProviderProcess()";
}

const op = fc.constantFrom<Operation | undefined>(undefined, "show", "start", "stop", "create", "delete", "list");
const faults: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("throttle", "unavailable", "reset", "apply-then-reset", "hang") as fc.Arbitrary<"throttle">,
    op,
  }),
  fc.constant({ kind: "lost-create" } as const),
  fc.record({
    kind: fc.constant("echo" as const),
    op,
    secret: fc.nat(40),
    encoding: fc.constantFrom("raw" as const, "url" as const, "json" as const),
    status: fc.constantFrom(400 as const, 500 as const),
    json: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("slow" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);

/** The commands, for replaying a shrunk sequence by hand (regression tests). */
export const Commands = {
  DeclareTask,
  AdoptTask,
  DeclareState,
  Flip,
  Redefine,
  RotateOwnKeys,
  RotateConfigKeys,
  Up,
  Refresh,
  Destroy,
  Get,
  Console,
  ConsoleCreate,
  Arm,
  Restart,
};

/** Every command the model knows, as fast-check generates them. */
export function commands(maxCommands: number): fc.Arbitrary<Iterable<Cmd>> {
  const pick = fc.nat(9);
  const rarely = fc.nat(9).map((n) => n === 0);
  const short = fc.nat(3).map((n) => n === 0);
  return fc.commands<Sim, Sim, false>(
    [
      fc
        .record({
          started: fc.boolean(),
          kms: fc.boolean(),
          cdn: fc.boolean(),
          ownKeys: fc.boolean(),
          longBucket: rarely,
          short,
        })
        .map((a) => new DeclareTask(a)),
      fc
        .record({
          started: fc.boolean(),
          kms: fc.boolean(),
          cdn: fc.boolean(),
          ownKeys: fc.boolean(),
          longBucket: rarely,
          short,
        })
        .map((a) => new DeclareTask(a)),
      fc.record({ pick, started: fc.boolean(), short }).map((a) => new AdoptTask(a)),
      fc.record({ pick, started: fc.boolean(), ownKeys: fc.boolean(), short }).map((a) => new DeclareState(a)),
      fc.record({ pick, started: fc.boolean(), ownKeys: fc.boolean(), short }).map((a) => new DeclareState(a)),
      pick.map((n) => new Flip(n)),
      pick.map((n) => new Flip(n)),
      pick.map((n) => new Redefine(n)),
      pick.map((n) => new RotateOwnKeys(n)),
      fc.constant(new RotateConfigKeys()),
      pick.map((n) => new Up(n)),
      pick.map((n) => new Refresh(n)),
      pick.map((n) => new Destroy(n)),
      fc.record({ kind: fc.constantFrom<Kind>("SyncTask", "SyncTaskState"), pick }).map((a) => new Get(a)),
      fc
        .record({ pick, action: fc.constantFrom("pause" as const, "start" as const, "delete" as const) })
        .map((a) => new Console(a)),
      fc
        .record({ kms: fc.boolean(), started: fc.boolean(), otherProject: fc.boolean() })
        .map((a) => new ConsoleCreate(a)),
      faults.map((f) => new Arm(f)),
      faults.map((f) => new Arm(f)),
      fc.constant(new Restart()),
    ],
    { maxCommands, size: "max" },
  );
}

/** Runs one command sequence against a fresh emulator and provider process. */
export async function runSequence(settings: LevelSettings, cmds: Iterable<Cmd>): Promise<void> {
  const sim = await Sim.start(settings);
  try {
    await fc.asyncModelRun(() => ({ model: sim, real: sim }), cmds);
  } finally {
    await sim.stop();
  }
}
