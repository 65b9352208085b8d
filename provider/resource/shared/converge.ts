// Making OMS show a desired status: one show, at most one start or stop, then the wait. Both resources use it.
import type { OmsClient } from "../../client/oms-client";
import type { KmsKeys, OmsSyncTask, StartKeys } from "../../client/types";
import { STATUS_FOR, type DesiredState } from "./types";
import { changed } from "./values";
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
}

/**
 * Makes OMS show the status for `state`: one GET (unless `known`); if it differs, one start (with the keys) or stop
 * (no body); then polls until the status shows or the deadline passes. OMS.0065/OMS.0066 ("already") count as
 * success. Returns the task as last shown.
 */
export async function converge(
  client: OmsClient,
  taskId: string,
  state: DesiredState,
  options: ConvergeOptions,
): Promise<OmsSyncTask> {
  const { deadline } = options;
  const want = STATUS_FOR[state];
  const task = options.known ?? (await client.showTask(taskId, { deadline }));
  if (task.status === want) return task;
  if (state === "started") {
    await client.startTask(taskId, startKeysFor(options.credentials, taskId), { deadline, kms: options.kms });
  } else await client.stopTask(taskId, { deadline });
  return waitForStatus(
    client,
    {
      taskId,
      want,
      action: state === "started" ? "start" : "stop",
      timeoutSeconds: options.timeoutSeconds,
      lastStatus: task.status,
    },
    deadline,
  );
}

/**
 * Starts a task again so that OMS takes new keys: a synchronizing task is stopped and waited for until STOPPED, then
 * started with the keys and waited for until SYNCHRONIZING. A task already STOPPED gets just the start.
 */
export async function restartWithNewKeys(
  client: OmsClient,
  taskId: string,
  options: ConvergeOptions,
): Promise<OmsSyncTask> {
  const task = options.known ?? (await client.showTask(taskId, { deadline: options.deadline }));
  const stopped =
    task.status === STATUS_FOR.paused ? task : await converge(client, taskId, "paused", { ...options, known: task });
  return converge(client, taskId, "started", { ...options, known: stopped });
}

/** What a resource recorded after its last operation. */
export interface Recorded {
  state?: unknown;
  status?: unknown;
  startKeysDigest?: unknown;
}

/**
 * An update of a task's running state, shared by both resources. A change of `state` (or a status that never reached
 * it) converges; rotated start keys restart a task that should be started (a paused task just records them: its next
 * start sends them); anything else makes no call. Returns the task when OMS was asked, and the digest to record.
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
  const options = {
    timeoutSeconds: desired.timeoutSeconds,
    deadline: Date.now() + desired.timeoutSeconds * 1000,
    credentials: desired.credentials,
    kms: desired.kms,
  };
  const task = restart
    ? await restartWithNewKeys(client, taskId, options)
    : await converge(client, taskId, desired.state, options);
  return { task, digest };
}

/** Inputs both resources change in place: a start or stop, or no call at all. */
export const UPDATE_KEYS = ["state", "endpoint", "timeoutSeconds", "credentials"] as const;

/** The in-place half of a diff, shared by both resources: an update key changed, or the start keys rotated. */
export function updatesRunningState(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return UPDATE_KEYS.some((key) => changed(olds, news, key)) || keysChanged(olds, news);
}
