// Waiting until OMS shows a status: the poll schedule every wait in the package uses, and the wait itself.
import type { OmsClient } from "../client/oms-client";
import type { OmsSyncTask } from "../client/types";
import { OmsError } from "../errors/oms-error";
import { tuning } from "./settings";
import type { Progress } from "./types";

/**
 * The first poll is sent right after the start or stop is answered (OMS may already show the status); the second
 * this soon after: many transitions are quick, and an early look is cheap.
 */
export const SECOND_POLL_DELAY_MS = 250;
/**
 * The shortest gap between polls after the first. Just under a second, so that a status that appears right after a
 * poll is seen within 1 s including the round trip of the poll that sees it; over a long wait this is still at most
 * one GET per second, plus the first two.
 */
export const MIN_POLL_INTERVAL_MS = 900;
/**
 * Later, the gap grows with the time already waited: a tenth of it, less {@link POLL_ROUND_TRIP_ALLOWANCE_MS}, so the
 * lag after OMS shows the status stays within 10 % of the transition time. A transition that already took 60 s is
 * not noticed 1 s sooner for polling every second; this keeps a long wait to a few dozen GETs.
 */
export const POLL_LAG_FRACTION = 0.1;
/** The round trip a poll is allowed within the lag bound. */
export const POLL_ROUND_TRIP_ALLOWANCE_MS = 100;
/** The longest gap between polls, however long the wait: a status is never noticed more than this late. */
export const MAX_POLL_INTERVAL_MS = 15_000;

/**
 * How long to wait before the next poll, given the time since the start or stop was sent (`elapsedMs`, measured
 * when the previous poll was sent) and how many polls were sent. Polls never overlap: the next one is sent only
 * after the previous one has been answered, so at most one request is in flight per resource.
 */
export function pollDelayMs(elapsedMs: number, pollNumber: number): number {
  if (pollNumber === 0) return 0;
  if (pollNumber === 1) return SECOND_POLL_DELAY_MS;
  const proportional = POLL_LAG_FRACTION * elapsedMs - POLL_ROUND_TRIP_ALLOWANCE_MS;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, proportional));
}

/**
 * The engine's Cancel (the plugin's): the engine is shutting down, so every wait of this process ends after its next
 * look (taken at once) instead of at its deadline, and the call it serves fails as a timed-out wait does (recording
 * what was sent). A set of wake-ups rather than listeners on an AbortSignal: a stack waits on many tasks at once in one
 * process, and Node.js warns on stderr past ten listeners on one signal.
 */
let cancelled = false;
const sleepers = new Set<() => void>();

/** Ends every wait of this process now and any begun later (see {@link cancelled}). */
export function cancelWaits(): void {
  cancelled = true;
  for (const wake of [...sleepers]) wake();
}

/** Whether the engine cancelled this process's work: a door refuses new calls then. */
export function isCancelled(): boolean {
  return cancelled;
}

/** Sleeps `ms`, or until waits are cancelled. */
function sleep(ms: number): Promise<void> {
  if (cancelled) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

/** Throws when waits are cancelled: what was awaited (`waitingFor`) was not seen, and a rerun picks it up. */
function unlessCancelled(taskId: string, waitingFor: string, hint: string): void {
  if (!cancelled) return;
  throw new OmsError({
    code: "TIMEOUT",
    operation: "wait",
    taskId,
    reason: `the engine cancelled the operation before ${waitingFor}`,
    hint,
  });
}

/** The schedule in force (the package's, unless tuned), scaled. */
function scheduledDelayMs(elapsedMs: number, pollNumber: number): number {
  return (tuning.pollSchedule ?? pollDelayMs)(elapsedMs, pollNumber) * tuning.pollScale;
}

/**
 * Sleeps from now until poll number `pollNumber` of a schedule that began at `began` is due, or `deadline`. Throws
 * once waits are cancelled, saying that `waitingFor` was not seen and what to run (`hint`).
 */
export async function pauseUntilNextPoll(
  began: number,
  pollNumber: number,
  deadline: number,
  cancelled: { taskId: string; waitingFor: string; hint: string },
): Promise<void> {
  const now = Date.now();
  const pause = Math.min(scheduledDelayMs(now - began, pollNumber), deadline - now);
  if (pause > 0) await sleep(pause);
  unlessCancelled(cancelled.taskId, cancelled.waitingFor, cancelled.hint);
}

/** What a wait is for, for its error message. */
export interface WaitPurpose {
  taskId: string;
  /** The status wanted, e.g. `SYNCHRONIZING`. */
  want: string;
  /** The call that asked for it (`start` or `stop`), named in the rerun hint. */
  action: "start" | "stop";
  timeoutSeconds: number;
  /** The status OMS showed before the wait began. */
  lastStatus: string;
  /** The command whose rerun picks the wait up again; default `pulumi up`. */
  rerun?: string;
}

/**
 * Polls `show` on {@link pollDelayMs}'s schedule until OMS shows `purpose.want` or `deadline` (epoch ms) passes. A
 * transient fault on a poll (its retries already spent) is one more poll that did not answer: polling goes on until
 * the deadline. Throws `TIMEOUT` naming the last status seen and the last fault; any other failure as it is. Each
 * status seen is noted in `progress`.
 */
export async function waitForStatus(
  client: OmsClient,
  purpose: WaitPurpose,
  deadline: number,
  progress?: Progress,
): Promise<OmsSyncTask> {
  const began = Date.now();
  let lastStatus = purpose.lastStatus;
  let fault: string | undefined;
  let sentAt = began;
  for (let poll = 0; ; poll += 1) {
    const wake = sentAt + scheduledDelayMs(sentAt - began, poll);
    const pause = Math.min(wake, deadline) - Date.now();
    if (pause > 0) await sleep(pause);
    sentAt = Date.now();
    try {
      const task = await client.showTask(purpose.taskId, { deadline });
      fault = undefined;
      lastStatus = task.status;
      if (progress) progress.lastStatus = task.status;
      if (task.status === purpose.want) return task;
    } catch (error) {
      if (!(error instanceof OmsError && error.transient)) throw error;
      fault = describeFault(error);
    }
    // Cancelled, a wait still takes the look that is due (at once, or its first), then ends.
    unlessCancelled(
      purpose.taskId,
      `OMS showed status ${purpose.want} (last status seen: ${lastStatus})`,
      rerunHint(purpose),
    );
    if (Date.now() >= deadline) throw waitTimeout(purpose, lastStatus, fault);
  }
}

function describeFault(error: OmsError): string {
  if (error.code === "TIMEOUT") return "OMS did not answer the last check in time";
  if (error.code === "NETWORK_ERROR") return "the last check could not reach OMS";
  return `the last check was answered HTTP ${error.status}`;
}

function waitTimeout(purpose: WaitPurpose, lastStatus: string, fault?: string): OmsError {
  return new OmsError({
    code: "TIMEOUT",
    operation: "wait",
    taskId: purpose.taskId,
    reason: `OMS did not show status ${purpose.want} within ${purpose.timeoutSeconds} s (last status seen: ${lastStatus}${fault ? `; ${fault}` : ""})`,
    hint: `${rerunHint(purpose)}, or raise timeoutSeconds`,
  });
}

function rerunHint(purpose: WaitPurpose): string {
  return `Run \`${purpose.rerun ?? "pulumi up"}\` again to keep waiting (it sends no second ${purpose.action} once OMS shows ${purpose.want})`;
}
