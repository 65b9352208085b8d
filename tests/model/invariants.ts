// The package's eight promises, checked by Sim.step after every engine command (and two helpers of the rerun rule).
import { signaturesIn } from "../support/secrets";
import { CallFailure, InvariantViolation } from "./driver";
import { CheckRefused, type StateEntry } from "./engine";
import { formsOf, QUOTA, STATUS_FOR, type Sim } from "./world";

/** Invariant 6: a failure is an `OmsError` with a stable code (or reads as one through the plugin). */
export function assertShape(error: unknown, label: string): void {
  if (error instanceof InvariantViolation) throw error;
  if (error instanceof CheckRefused) throw new InvariantViolation(6, `${label}: ${error.message}`);
  if (!(error instanceof CallFailure)) {
    throw new InvariantViolation(6, `${label}: not a provider failure: ${String(error)}`);
  }
  if (!error.stable) throw new InvariantViolation(6, `${label}: not an OmsError with a stable code: ${error.text}`);
}

/** Invariant 3: a task created by a failed command is recorded in state, so the rerun updates it. */
export function assertCreatedRecorded(sim: Sim, before: Set<string>, label: string): void {
  const recorded = new Set([...sim.engine.state.values()].map((e) => e.id));
  const lost = sim
    .omsTasks()
    .map((t) => t.id)
    .filter((id) => !before.has(id) && !recorded.has(id));
  if (lost.length > 0)
    throw new InvariantViolation(3, `${label}: task ${lost.join(", ")} was created but not recorded`);
}

/** Why a failure of the clean rerun is what OMS would do too, or `undefined` when nothing explains it. */
export function explain(sim: Sim, error: unknown, resource: string | undefined): string | undefined {
  const text = error instanceof CallFailure ? error.text : String(error);
  const id = resource ? sim.taskOf(resource) : undefined;
  if (id && sim.gone.has(id) && /OMS\.1009|OMS\.0054/.test(text)) return "its task was deleted out of band";
  if (resource && sim.declared.get(resource)?.kind === "SyncEvent" && id) {
    // An event names a task it does not manage: the task may be gone (out of band or with its SyncTask), or not
    // synchronizing (or still changing), and OMS refuses the event then.
    const task = sim.omsTasks().find((t) => t.id === id);
    if (!task && /OMS\.1009|OMS\.0054/.test(text)) return "the event's task no longer exists";
    const idle = task && (task.status !== "SYNCHRONIZING" || task.pending !== undefined);
    if (idle && /OMS\.0066/.test(text)) return "OMS refuses an event on a task that is not synchronizing";
  }
  // The quota is per account; "quota" may be said only when this project alone holds that many tasks.
  const here = sim.ourTasks().length;
  if (/as many sync tasks as OMS allows/.test(text)) return here >= QUOTA ? "the project is at the quota" : undefined;
  if (sim.omsTasks().length >= QUOTA && /upper limit/.test(text)) return "the account is at its quota";
  if (/exceeds the maximum length/.test(text)) return "OMS refuses a bucket name over 63 characters";
  return undefined;
}

/** Invariant 4: no planted secret, in any encoding, in anything the provider returned, threw or printed. */
export function auditSecrets(sim: Sim, label: string, fromCall: number, fromRequest: number): void {
  const texts = sim.engine.calls.slice(fromCall).map((c) => `${c.kind}.${c.method}: ${c.text}`);
  texts.push(`process output: ${sim.engine.process.drainOutput()}`);
  const signatures = signaturesIn(sim.emulator.requests.slice(fromRequest).map((r) => r.headers));
  for (const secret of [...sim.vault.all, ...signatures]) {
    for (const form of formsOf(secret)) {
      const leak = texts.find((t) => t.includes(form));
      if (leak) {
        throw new InvariantViolation(4, `${label}: a secret (${secret.slice(0, 8)}…) shows in ${leak.slice(0, 300)}`);
      }
    }
  }
}

/** Invariant 7: every call ends within timeoutSeconds plus one request timeout. */
export function auditTimes(sim: Sim, label: string, fromCall: number): void {
  for (const call of sim.engine.calls.slice(fromCall)) {
    const limit = sim.limitMs(call.timeoutSeconds);
    if (call.ms > limit) {
      throw new InvariantViolation(7, `${label}: ${call.kind}.${call.method} took ${call.ms} ms (limit ${limit} ms)`);
    }
  }
}

/** Invariant 5: every start (and create) carries the keys now configured for its resource and the task's KMS. */
export function auditStarts(sim: Sim, label: string, fromRequest: number, resource: string | undefined): void {
  const declared = resource ? sim.declared.get(resource) : undefined;
  for (const request of sim.emulator.requests.slice(fromRequest)) {
    if (request.operation !== "start" && request.operation !== "create") continue;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      throw new InvariantViolation(5, `${label}: a ${request.operation} body is not JSON`);
    }
    const creating = request.operation === "create";
    const id = request.taskId ?? "";
    const source = creating || !sim.keySource.has(id) ? (declared?.ownKeys ?? "config") : sim.keySource.get(id);
    const keys = sim.keysOf(source);
    const kms = creating || !sim.taskKms.has(id) ? (declared?.kms ?? {}) : (sim.taskKms.get(id) ?? {});
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
export function auditTasks(sim: Sim, label: string): void {
  const ids = sim.omsTasks().map((t) => t.id);
  const ours = [...sim.engine.state.values()].filter((e) => e.kind === "SyncTask").map((e) => e.id);
  const duplicates = ours.filter((id, i) => ours.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new InvariantViolation(2, `${label}: two SyncTasks hold task ${duplicates.join(", ")}`);
  }
  const expected = new Set([...sim.consoleAlive, ...ours].filter((id) => !sim.gone.has(id)));
  const orphans = ids.filter((id) => !expected.has(id));
  const missing = [...expected].filter((id) => !ids.includes(id));
  if (orphans.length > 0 || missing.length > 0) {
    throw new InvariantViolation(
      2,
      `${label}: OMS holds ${orphans.length} task(s) nobody accounts for (${orphans.join(", ")}) and lacks ${missing.length} (${missing.join(", ")})`,
    );
  }
}

/**
 * Invariant 1: after a success, OMS shows (or is still changing to) the status for `state`, the outputs agree, and a
 * task that should run runs with the keys it now needs. A refresh may keep a start or stop in flight on record: the
 * state asked for, and the status OMS shows until it is done.
 */
export function auditStatus(sim: Sim, label: string, name: string, fromRequest: number): void {
  const entry = sim.engine.state.get(name);
  if (!entry || sim.gone.has(entry.id)) return;
  const looked = sim.emulator.requests.slice(fromRequest).some((r) => r.taskId === entry.id);
  if (looked) sim.drifted.delete(name);
  if (sim.drifted.has(name)) return;
  const task = sim.omsTasks().find((t) => t.id === entry.id);
  if (!task) return;
  const state = entry.outputs.state as "started" | "paused";
  const declared = sim.declared.get(name);
  if (declared && label.startsWith("up") && state !== declared.program.state) {
    throw new InvariantViolation(1, `${label}: state ${state} recorded, ${String(declared.program.state)} declared`);
  }
  // A status change OMS accepted is what OMS will show: the model judges by it, not by the moment.
  const eventual = task.pending?.target ?? task.status;
  const keptInFlight =
    label.startsWith("refresh") && entry.outputs.status === task.status && task.status !== STATUS_FOR[state];
  if (!keptInFlight && (eventual !== STATUS_FOR[state] || entry.outputs.status !== eventual)) {
    throw new InvariantViolation(
      1,
      `${label}: ${name} records state ${state} and status ${String(entry.outputs.status)}, OMS shows ${task.status}${task.pending ? ` (changing to ${task.pending.target})` : ""}`,
    );
  }
  if (label.startsWith("up") && state === "started" && task.runningKeys && !sim.unknownKeys.has(task.id)) {
    const stale = (Object.keys(task.keys) as (keyof typeof task.keys)[]).filter(
      (k) => task.keys[k] !== task.runningKeys?.[k],
    );
    if (stale.length > 0) {
      throw new InvariantViolation(1, `${label}: ${name}'s task runs with old keys (${stale.join(", ")})`);
    }
  }
  if (entry.kind === "SyncTask" && entry.outputs.syncTaskId !== entry.id) {
    throw new InvariantViolation(1, `${label}: ${name}'s syncTaskId output is not its id`);
  }
}

/**
 * Invariant 8: a SyncEvent sends one events POST per create (a replace is a create) and none otherwise: an
 * `up` with no change, an update, a refresh and a destroy send nothing. A create that succeeded records what OMS
 * answered (status, request id, when) for the keys declared, and OMS holds one new event with those keys; an entry
 * kept (update, refresh, no-op) keeps what OMS answered at its create.
 */
export function auditEvents(
  sim: Sim,
  label: string,
  fromCall: number,
  fromRequest: number,
  resource: string | undefined,
  before: StateEntry | undefined,
): void {
  const calls = sim.engine.calls.slice(fromCall).filter((c) => c.kind === "SyncEvent" && c.method === "create");
  const posts = sim.emulator.requests.slice(fromRequest).filter((r) => r.operation === "events");
  // A faulted POST may be retried when OMS surely did not take it (throttled, unavailable): only clean ones count.
  const clean = posts.filter((r) => r.fault === undefined);
  if (calls.length === 0 && posts.length > 0) {
    throw new InvariantViolation(8, `${label}: ${posts.length} events POST(s) with no SyncEvent create`);
  }
  if (clean.length > calls.length) {
    throw new InvariantViolation(8, `${label}: ${clean.length} events POSTs for ${calls.length} SyncEvent create(s)`);
  }
  const answered = clean.filter((r) => r.outcome === 200);
  const created = calls.filter((c) => c.failure === undefined).length;
  if (answered.length !== created) {
    throw new InvariantViolation(
      8,
      `${label}: ${created} SyncEvent create(s) succeeded, OMS accepted ${answered.length} event(s) unfaulted`,
    );
  }
  const entry = resource ? sim.engine.state.get(resource) : undefined;
  if (entry?.kind !== "SyncEvent") return;
  const recorded = (e: StateEntry) => JSON.stringify([e.outputs.status, e.outputs.requestId, e.outputs.sentAt]);
  if (before?.kind === "SyncEvent" && before.id === entry.id) {
    if (recorded(before) !== recorded(entry)) {
      throw new InvariantViolation(8, `${label}: ${resource} changed what OMS answered at its create`);
    }
    return;
  }
  const post = answered[answered.length - 1];
  if (!post) throw new InvariantViolation(8, `${label}: ${resource} is new in state with no event OMS accepted`);
  const sentAt = Date.parse(String(entry.outputs.sentAt));
  if (
    entry.outputs.status !== 200 ||
    entry.outputs.requestId !== post.requestId ||
    !(Math.abs(sentAt - post.at) < 10_000) ||
    !entry.id.startsWith(`${post.taskId}:`)
  ) {
    throw new InvariantViolation(
      8,
      `${label}: ${resource} records ${recorded(entry)} as ${entry.id}, OMS answered 200 ${post.requestId} at ${new Date(post.at).toISOString()} for ${post.taskId}`,
    );
  }
  const declared = sim.declared.get(resource!)?.program;
  const task = sim.omsTasks().find((t) => t.id === post.taskId);
  const keys = JSON.stringify(declared?.objectKeys);
  const held = JSON.stringify(task?.events[task.events.length - 1]?.objectKeys);
  if (JSON.stringify(entry.outputs.objectKeys) !== keys || held !== keys || post.taskId !== declared?.syncTaskId) {
    throw new InvariantViolation(
      8,
      `${label}: ${resource} declares ${keys} on ${String(declared?.syncTaskId)}, records ${JSON.stringify(entry.outputs.objectKeys)}, OMS holds ${held} on ${post.taskId}`,
    );
  }
  if (JSON.stringify(entry.outputs.triggers) !== JSON.stringify(declared?.triggers)) {
    throw new InvariantViolation(8, `${label}: ${resource} records other triggers than it declares`);
  }
}
