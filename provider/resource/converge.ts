// Making OMS show a desired status: one show, at most one start or stop, then the wait. Both resources use it.
import type { OmsClient } from "../client/oms-client";
import type { OmsSyncTask, StartKeys } from "../client/types";
import { configError, settings } from "./context";
import { resolveStartKeys } from "./settings";
import { STATUS_FOR, type DesiredState } from "./types";
import { waitForStatus } from "./wait";

/** The start keys for a task: each field from `credentials` when given there, else from config. */
export function startKeysFor(credentials: Partial<StartKeys> | undefined, taskId: string | undefined): StartKeys {
  const { keys, problems } = resolveStartKeys(credentials, settings());
  if (!keys) throw configError(taskId, problems);
  return keys;
}

/** How one convergence runs. */
export interface ConvergeOptions {
  timeoutSeconds: number;
  /** Epoch ms by which OMS must show the status. */
  deadline: number;
  /** The keys for a start; read only when a start is sent. */
  credentials?: Partial<StartKeys>;
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
  if (state === "started") await client.startTask(taskId, startKeysFor(options.credentials, taskId), { deadline });
  else await client.stopTask(taskId, { deadline });
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
