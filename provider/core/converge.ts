// Making OMS show a desired status: one show, at most one start or stop, then the wait. Both resources use it.
import type { OmsClient } from "../client/oms-client";
import { OmsError } from "../errors/oms-error";
import type { KmsKeys, OmsSyncTask, StartKeys, TransitionResult } from "../client/types";
import { noProgress, STATUS_FOR, type DesiredState, type Progress } from "./types";
import { currentKeys, digestToRecord, keysChanged, keysStatus, startKeysFor } from "./start-keys";
import { waitForStatus } from "./wait";

/** How one convergence runs. */
export interface ConvergeOptions {
  timeoutSeconds: number;
  /** Epoch ms by which OMS must show the status. */
  deadline: number;
  /** The keys for a start; read only when a start is sent. */
  credentials?: Partial<StartKeys>;
  /** The task's KMS key ids: every start repeats them, or OMS takes the keys with its default encryption. */
  kms?: KmsKeys;
  /** The task as just read, to save the first show. */
  known?: OmsSyncTask;
  /**
   * The state a start or stop still in flight asks for: an earlier operation sent it and never saw it done. When it is
   * the other state, the start or stop is sent even when OMS already shows the status (the call in flight would undo
   * it), and an "already" answer is not taken as success (see {@link afterEarlierChange}).
   */
  inFlight?: DesiredState;
  /** Filled in as the convergence goes, so that a failure can say what was asked of OMS and what it last showed. */
  progress?: Progress;
  /** The command a timed-out wait tells the user to run again; default `pulumi up`. */
  rerun?: string;
}

/**
 * Makes OMS show the status for `state`: one GET (unless `known`); if it differs, one start (with the keys) or stop
 * (no body); then polls until the status shows or the deadline passes. OMS.0065/OMS.0066 ("already") count as
 * success, unless a call in flight towards the other state made it send: then OMS may still be carrying that out (see
 * {@link afterEarlierChange}). Returns the task as last shown.
 */
export async function converge(
  client: OmsClient,
  taskId: string,
  state: DesiredState,
  options: ConvergeOptions,
): Promise<OmsSyncTask> {
  const { deadline, progress } = options;
  const want = STATUS_FOR[state];
  const task = options.known ?? (await client.showTask(taskId, { deadline }));
  if (progress) progress.lastStatus = task.status;
  // A call in flight towards the other state would undo what OMS shows now.
  const countering = options.inFlight !== undefined && options.inFlight !== state;
  if (task.status === want && !countering) return task;
  const action = state === "started" ? "start" : "stop";
  const keys = state === "started" ? startKeysFor(options.credentials, taskId) : undefined;
  progress?.sent.push(action);
  let answer: TransitionResult;
  try {
    answer = keys
      ? await client.startTask(taskId, keys, { deadline, kms: options.kms })
      : await client.stopTask(taskId, { deadline });
  } catch (error) {
    // OMS refused it outright (a 4xx): nothing changed, so nothing is in flight.
    if (refused(error)) progress?.sent.pop();
    throw error;
  }
  if (answer === "already" && countering) {
    return afterEarlierChange(client, taskId, state, { ...options, deadline }, task.status);
  }
  return waitForStatus(
    client,
    {
      taskId,
      want,
      action,
      timeoutSeconds: options.timeoutSeconds,
      lastStatus: task.status,
      rerun: options.rerun,
    },
    deadline,
    progress,
  );
}

/**
 * The call countering one still in flight was answered "already": an OMS that judges from the status it shows says so
 * while it is still carrying out the earlier call, which then completes (an OMS that reverses a change under way
 * takes the call instead). So "already" is no success here: wait, within the same deadline, until OMS shows the
 * earlier call's status, then send the call again and wait for it. When the time runs out first, the error says which
 * call OMS answered "already", and the earlier call is recorded as still in flight (see {@link Progress.underWay}).
 */
async function afterEarlierChange(
  client: OmsClient,
  taskId: string,
  state: DesiredState,
  options: ConvergeOptions,
  shown: string,
): Promise<OmsSyncTask> {
  const { progress } = options;
  const action = state === "started" ? "start" : "stop";
  const earlier = state === "started" ? "stop" : "start";
  const other = STATUS_FOR[OTHER[state]];
  // The answer changed nothing: until the earlier call is seen done, the record stays as it was.
  progress?.sent.pop();
  let done: OmsSyncTask;
  try {
    done = await waitForStatus(
      client,
      { taskId, want: other, action: earlier, timeoutSeconds: options.timeoutSeconds, lastStatus: shown },
      options.deadline,
      progress,
    );
  } catch (error) {
    if (!(error instanceof OmsError && error.code === "TIMEOUT" && error.operation === "wait")) throw error;
    // An accepted change completes, however slowly: record the earlier call as still in flight, so that the next `up`
    // waits for it again instead of taking what OMS shows now as the end.
    if (progress) progress.underWay = earlier;
    const already = action === "start" ? "OMS.0065 (already started)" : "OMS.0066 (not in progress)";
    throw new OmsError({
      code: "TIMEOUT",
      operation: "wait",
      taskId,
      reason: `OMS answered the ${action} with ${already} while the earlier ${earlier} had not shown yet: an OMS may finish a ${earlier} under way before it takes a ${action}. It did not show ${other} within ${options.timeoutSeconds} s (last status seen: ${progress?.lastStatus ?? shown})`,
      hint: `Run \`${options.rerun ?? "pulumi up"}\` again once OMS shows ${other}, or raise timeoutSeconds. If OMS never does (the ${earlier} never reached it), ${state === "started" ? "pause" : "start"} the task through the program and then ${action} it again`,
    });
  }
  return converge(client, taskId, state, { ...options, known: done, inFlight: undefined });
}

/** A request OMS answered with a refusal (4xx): it was not carried out. */
function refused(error: unknown): boolean {
  return error instanceof OmsError && error.status !== undefined && error.status >= 400 && error.status < 500;
}

/**
 * Starts a task again so that OMS takes new keys: a synchronizing task is stopped and waited for until STOPPED, then
 * started with the keys and waited for until SYNCHRONIZING. A task already STOPPED gets just the start, unless a start
 * (with the old keys) is in flight: then the stop is sent all the same.
 */
export async function restartWithNewKeys(
  client: OmsClient,
  taskId: string,
  options: ConvergeOptions,
): Promise<OmsSyncTask> {
  const task = options.known ?? (await client.showTask(taskId, { deadline: options.deadline }));
  if (options.progress) options.progress.lastStatus = task.status;
  const stopped =
    task.status === STATUS_FOR.paused && options.inFlight !== "started"
      ? task
      : await converge(client, taskId, "paused", { ...options, known: task });
  // OMS now shows STOPPED, which ends any call in flight before: the start counters nothing.
  return converge(client, taskId, "started", { ...options, known: stopped, inFlight: undefined });
}

/** What a resource recorded after its last operation. */
export interface Recorded {
  state?: unknown;
  status?: unknown;
  startKeysDigest?: unknown;
}

const OTHER: Record<DesiredState, DesiredState> = { started: "paused", paused: "started" };

const isState = (value: unknown): value is DesiredState => value === "started" || value === "paused";

/**
 * Whether the record says the last operation asked OMS for a status and never saw it: a start or stop that may still
 * be in flight (or one OMS dropped). The next update sends its own request whatever OMS shows then.
 */
export function unsettled(recorded: Recorded): boolean {
  return (
    isState(recorded.state) && typeof recorded.status === "string" && recorded.status !== STATUS_FOR[recorded.state]
  );
}

/**
 * Whether the record says a start or stop was sent while OMS still showed the opposite status: the diff reports an
 * update for it even when the program did not change, so that the next `up` finishes the change or reverses it.
 */
export function inFlight(recorded: Recorded): boolean {
  return isState(recorded.state) && recorded.status === STATUS_FOR[OTHER[recorded.state]];
}

/**
 * The state a refresh records for a task OMS shows with `status`: the one that status means, unless the record has a
 * request in flight that OMS does not show done yet. Then the record stays as it was, so that a request completing
 * after the refresh cannot change the task behind Pulumi's back.
 */
export function refreshedState(stored: Recorded, status: string): DesiredState {
  if (inFlight(stored) && isState(stored.state) && status !== STATUS_FOR[stored.state]) return stored.state;
  return status === STATUS_FOR.started ? "started" : "paused";
}

/** What a resource records when a start or stop was sent and the operation then failed. */
export interface RecordedChange {
  /** The state asked for. */
  state: DesiredState;
  /** The status OMS showed last. */
  status: string;
  /** The digest of the keys the task may run with: the new one once a start carried them. */
  startKeysDigest?: string;
  /** The requests sent. */
  sent: ("start" | "stop")[];
}

/**
 * A failure after a start or stop was sent: OMS may be changing the task. The resource records {@link recorded} (as a
 * partial failure), so the next `up` converges whatever the program says by then.
 */
export class PartialChange extends Error {
  constructor(
    readonly failure: unknown,
    readonly recorded: RecordedChange,
  ) {
    super("a start or stop was sent before the operation failed");
  }
}

/** The state a start or stop asks for. */
export const STATE_FOR: Record<"start" | "stop", DesiredState> = { start: "started", stop: "paused" };

/** The sentence a partial failure adds to its error: what was recorded, and what the next `up` does about it. */
export function recordedNote(recorded: RecordedChange): string {
  if (recorded.sent.length === 0) {
    const earlier = recorded.state === "started" ? "start" : "stop";
    return `Recorded in state: the earlier ${earlier} as still under way, and OMS last showed ${recorded.status}; the next \`pulumi up\` waits for it, then sends its own call if the program still asks for the other state`;
  }
  const last = recorded.sent[recorded.sent.length - 1];
  return `Recorded in state: a ${last} was sent and OMS last showed ${recorded.status}; the next \`pulumi up\` finishes it, or reverses it if the program asks for the other state by then`;
}

/**
 * Runs `work` (a convergence that fills `progress`); when it fails after a start or stop was sent, throws a
 * {@link PartialChange} with what to record. `record.now` is the digest of the keys a start sends now,
 * `record.before` the one recorded before (kept unless a start was sent), `record.lastStatus` the status recorded
 * before (kept when OMS was not seen).
 */
export async function recordingProgress<T>(
  state: DesiredState,
  record: { now?: string; before?: unknown; lastStatus?: unknown },
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = noProgress();
  try {
    return await work(progress);
  } catch (error) {
    if (progress.sent.length === 0 && !progress.underWay) throw error;
    const before = typeof record.before === "string" ? record.before : undefined;
    // The state the last call in flight asks for: a restart's stop, when its start was refused, is the one to record.
    const last = progress.underWay ?? progress.sent[progress.sent.length - 1];
    throw new PartialChange(error, {
      state: last ? STATE_FOR[last] : state,
      status: progress.lastStatus ?? (typeof record.lastStatus === "string" ? record.lastStatus : "UNKNOWN"),
      startKeysDigest: progress.sent.includes("start") ? record.now : before,
      sent: progress.sent,
    });
  }
}

/**
 * An update of a task's running state, shared by both resources. A change of `state` (or a status that never reached
 * it) converges; rotated start keys restart a task that should be started (a paused task just records them: its next
 * start sends them); anything else makes no call. A record whose last request may still be in flight gets a request
 * of its own whatever OMS shows. Returns the task when OMS was asked, and the digest to record; throws a
 * {@link PartialChange} when it fails after sending a start or stop.
 */
export async function updateRunningState(
  connect: () => OmsClient,
  taskId: string,
  desired: { state: DesiredState; credentials?: Partial<StartKeys>; timeoutSeconds: number; kms?: KmsKeys },
  recorded: Recorded,
): Promise<{ task?: OmsSyncTask; digest?: string }> {
  const keys = currentKeys(desired.credentials);
  const digest = digestToRecord(recorded.startKeysDigest, keys);
  const restart = desired.state === "started" && keysStatus(recorded.startKeysDigest, keys) === "rotated";
  const settled = recorded.state === desired.state && recorded.status === STATUS_FOR[desired.state];
  if (settled && !restart) return { digest };
  const client = connect();
  const task = await recordingProgress(
    desired.state,
    { now: digest, before: recorded.startKeysDigest, lastStatus: recorded.status },
    (progress) => {
      const options = {
        timeoutSeconds: desired.timeoutSeconds,
        deadline: Date.now() + desired.timeoutSeconds * 1000,
        credentials: desired.credentials,
        kms: desired.kms,
        // A request the record has in flight goes towards recorded.state: it must be countered when the program now
        // wants the other state, and, before a restart, a start with the old keys must not survive.
        inFlight: unsettled(recorded) && isState(recorded.state) ? recorded.state : undefined,
        progress,
      };
      return restart ? restartWithNewKeys(client, taskId, options) : converge(client, taskId, desired.state, options);
    },
  );
  return { task, digest };
}

/**
 * The change of a task's running state that no input shows, shared by both resources' diffs: the start keys rotated
 * (in config, or never recorded), or the last start or stop may still be in flight.
 */
export function runningStateDrifted(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return keysChanged(olds, news) || inFlight(olds);
}
