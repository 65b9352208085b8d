// The SyncTaskState lifecycle: what check, diff, create, read, update and delete do for the running state of a task
// someone else created. No HTTP here; the OMS client does that. The serialized provider loads this module by name
// from the installed package.
import type { CreateResult, ReadResult, UpdateResult } from "../lifecycle";
import type { OmsSyncTask } from "../../client/types";
import { compact } from "../../utils/compact";
import { checking, checkKmsKeys, checkShared, checkTaskId, kmsOf } from "../check";
import { clientFor, isGone, learningCredentials, storedConnection } from "../settings";
import {
  converge,
  recordingProgress,
  refreshedState,
  updateRunningState,
  runningStateDrifted,
  type RecordedChange,
} from "../converge";
import { currentKeys, digestToRecord, DIGEST_OUTPUT } from "../start-keys";
import { surface, surfaceRecording } from "../failures";
import { DEFAULT_TIMEOUT_SECONDS } from "../types";
import { type SyncTaskStateInputs, type SyncTaskStateOutputs } from "./types";
import { diffing, inputsOf as inputsIn } from "../descriptor";
import { SYNC_TASK_STATE } from "./descriptor";

const RESOURCE = SYNC_TASK_STATE.name;

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export const check = learningCredentials(
  checking(SYNC_TASK_STATE, (c) => {
    checkTaskId(c, "the id of an existing OMS sync task");
    checkShared(c);
    checkKmsKeys(c);
  }),
);

/**
 * `state`, `endpoint`, `timeoutSeconds`, `credentials` and the KMS key ids update; `syncTaskId`, `projectId`,
 * `region` replace. Start keys rotated in config (or not yet recorded) are an update too.
 */
export const diff = learningCredentials(
  diffing(SYNC_TASK_STATE, (olds, news) => ({ alsoChanged: () => runningStateDrifted(olds, news) })),
);

function outputsFrom(
  inputs: SyncTaskStateInputs,
  task: Pick<OmsSyncTask, "status" | "lastStartTime">,
): SyncTaskStateOutputs {
  const outs: SyncTaskStateOutputs = { ...inputs, status: task.status };
  if (task.lastStartTime !== undefined) outs.lastStartTime = new Date(task.lastStartTime).toISOString();
  return compact(outs);
}

/**
 * What a failed create or update records after it sent a start or stop: the state asked for, the status last seen and
 * the digest of the keys the task may run with. The resource's own keys are left out (the engine may not mark them
 * secret on this path); the next `up` records them.
 */
function recordedOutputs(inputs: SyncTaskStateInputs) {
  return (recorded: RecordedChange) => {
    const { credentials: _keys, ...rest } = outputsFrom(
      { ...inputs, state: recorded.state },
      { status: recorded.status },
    );
    return compact({ ...rest, [DIGEST_OUTPUT]: recorded.startKeysDigest });
  };
}

/** The inputs part of stored properties (drops outputs). */
const inputsOf = (props: Record<string, unknown>) => inputsIn<SyncTaskStateInputs>(SYNC_TASK_STATE, props);

export const create = learningCredentials(async function create(props: Record<string, unknown>): Promise<CreateResult> {
  let inputs: SyncTaskStateInputs | undefined;
  try {
    inputs = inputsOf(props);
    const digest = digestToRecord(undefined, currentKeys(inputs.credentials));
    const { syncTaskId, state, timeoutSeconds, credentials } = inputs;
    const task = await recordingProgress(state, { now: digest }, (progress) =>
      converge(clientFor(inputs!, syncTaskId), syncTaskId, state, {
        timeoutSeconds,
        deadline: Date.now() + timeoutSeconds * 1000,
        credentials,
        kms: kmsOf(inputs!),
        progress,
      }),
    );
    return { id: inputs.syncTaskId, outs: compact({ ...outputsFrom(inputs, task), [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    // A start or stop was sent: the resource is recorded, so the next `up` finishes or reverses it.
    if (!inputs) return surface(error, RESOURCE);
    return surfaceRecording(error, RESOURCE, inputs.syncTaskId, recordedOutputs(inputs));
  }
});

export const update = learningCredentials(async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<UpdateResult> {
  const inputs = inputsOf(news);
  try {
    const { task, digest } = await updateRunningState(
      () => clientFor(inputs, inputs.syncTaskId),
      inputs.syncTaskId,
      { ...inputs, kms: kmsOf(inputs) },
      olds,
    );
    const shown = task ?? {
      status: String(olds.status),
      lastStartTime: typeof olds.lastStartTime === "string" ? Date.parse(olds.lastStartTime) : undefined,
    };
    return { outs: compact({ ...outputsFrom(inputs, shown), [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    return surfaceRecording(error, RESOURCE, inputs.syncTaskId, recordedOutputs(inputs));
  }
});

/**
 * Refresh: one GET. State follows what OMS reports (unless a start or stop recorded in flight is not done yet); a task
 * gone from OMS returns an empty id.
 */
export const read = learningCredentials(async function read(
  id: string,
  props: Record<string, unknown>,
): Promise<ReadResult> {
  try {
    const stored = inputsOf(props ?? {});
    const inputs: SyncTaskStateInputs = {
      ...stored,
      ...storedConnection(props ?? {}),
      syncTaskId: stored.syncTaskId ?? id,
      timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    };
    let task: OmsSyncTask;
    try {
      task = await clientFor(inputs, inputs.syncTaskId).showTask(inputs.syncTaskId, {
        deadline: Date.now() + inputs.timeoutSeconds * 1000,
      });
    } catch (error) {
      if (isGone(error)) return { id: "" };
      throw error;
    }
    const refreshed = compact({ ...inputs, state: refreshedState(props ?? {}, task.status) });
    // OMS never shows keys: the digest of the ones last sent carries over.
    const outs = compact({ ...outputsFrom(refreshed, task), [DIGEST_OUTPUT]: props?.[DIGEST_OUTPUT] });
    return { id: inputs.syncTaskId, props: outs, inputs: refreshed };
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/** Destroy leaves the task exactly as it is: no request is sent. */
export async function remove(): Promise<void> {
  return;
}
