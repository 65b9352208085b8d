// The SyncTask lifecycle: a whole OMS sync task, created (or adopted), started or paused, and deleted. No HTTP here;
// the OMS client does that. The serialized provider loads this module by name from the installed package.
import type { CreateResult, ReadResult, UpdateResult } from "../lifecycle";
import type { OmsClient } from "../../client/oms-client";
import type { OmsSyncTask } from "../../client/types";
import { amend, OmsError } from "../../errors/oms-error";
import { compact } from "../../utils/compact";
import { checking, checkShared, checkTaskId, kmsOf } from "../check";
import { isUnknown, same } from "../values";
import { diffing, inputsOf as inputsIn, outputKeys } from "../descriptor";
import { SYNC_TASK } from "./descriptor";
import type { DefinitionKey } from "../../client/definition";
import { clientFor, isGone, learningCredentials, storedConnection } from "../settings";
import {
  converge,
  recordedNote,
  STATE_FOR,
  refreshedState,
  updateRunningState,
  runningStateDrifted,
  type RecordedChange,
} from "../converge";
import { currentKeys, digestToRecord, DIGEST_OUTPUT, keysStatus } from "../start-keys";
import { canonical, checkCdnKey, checkDefinition, DEFINITION_KEYS, mismatches, shownDefinition } from "./definition";
import { initFailure, surface, surfaceRecording, withConfigHint, withNote } from "../failures";
import { DEFAULT_TIMEOUT_SECONDS, noProgress, STATUS_FOR } from "../types";
import { MIN_REQUEST_TIMEOUT_MS } from "../../client/oms-client";
import type { SyncTaskInputs, SyncTaskOutputs } from "./types";
import { createOnce, refuseLeftover } from "./create-recovery";
import { pauseUntilNextPoll, waitForStatus } from "../wait";

const RESOURCE = SYNC_TASK.name;
const OUTPUT_KEYS = outputKeys(SYNC_TASK);
const DEFINITION: readonly string[] = DEFINITION_KEYS;

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export const check = learningCredentials(
  checking(SYNC_TASK, (c) => {
    checkDefinition(c);
    const adopting = c.news.syncTaskId !== undefined && c.news.syncTaskId !== null;
    if (adopting) checkTaskId(c, "the id of an existing OMS sync task to adopt");
    // A new task needs the source and destination keys in its create call, whatever its state.
    checkShared(c, { stateDefault: "started", keysNeeded: adopting ? undefined : true });
    checkCdnKey(c);
  }),
);

// ---- diff ------------------------------------------------------------------------------------------------------

/**
 * A definition field, `projectId` or `region` replaces the task, deleting the old one first (an account holds only 5
 * tasks); so does a new `syncTaskId` to adopt. `state` (start or stop), `endpoint`, `timeoutSeconds` and
 * `credentials` update it.
 */
export const diff = learningCredentials(
  diffing(SYNC_TASK, (olds, news) => ({
    differs: (key) => {
      // A definition field as OMS holds it: a program that leaves out OMS's default means the same task.
      if (DEFINITION.includes(key)) {
        return (
          isUnknown(news[key]) || !same(canonical(olds, key as DefinitionKey), canonical(news, key as DefinitionKey))
        );
      }
      // The id is an output of a created task; an input only when adopting.
      if (key === "syncTaskId") {
        return news.syncTaskId !== undefined && (isUnknown(news.syncTaskId) || news.syncTaskId !== olds.syncTaskId);
      }
      return undefined;
    },
    alsoChanged: () => runningStateDrifted(olds, news),
  })),
);

// ---- create, read, update, delete --------------------------------------------------------------------------------

const inputsOf = (props: Record<string, unknown>) => inputsIn<SyncTaskInputs>(SYNC_TASK, props);

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function outputsFrom(inputs: SyncTaskInputs, id: string, task?: OmsSyncTask): SyncTaskOutputs {
  return compact({
    ...inputs,
    syncTaskId: id,
    status: task?.status ?? "UNKNOWN",
    createTime: iso(task?.createTime),
    lastStartTime: iso(task?.lastStartTime),
    monthlyAcceptanceRequest: task?.monthlyAcceptanceRequest,
    monthlySuccessObject: task?.monthlySuccessObject,
    monthlyFailureObject: task?.monthlyFailureObject,
    monthlySkipObject: task?.monthlySkipObject,
    monthlySize: task?.monthlySize,
    objectOverwriteMode: task?.objectOverwriteMode,
  });
}

function deadlineOf(inputs: { timeoutSeconds?: number }): number {
  return Date.now() + (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
}

export const create = learningCredentials(async function create(props: Record<string, unknown>): Promise<CreateResult> {
  const inputs = inputsOf(props);
  // The create body carries the keys: their digest is what the task runs with, whatever happens next.
  const digest = digestToRecord(undefined, currentKeys(inputs.credentials));
  const progress = noProgress();
  let id: string | undefined;
  try {
    const client = clientFor(inputs, inputs.syncTaskId);
    const deadline = deadlineOf(inputs);
    const options = {
      timeoutSeconds: inputs.timeoutSeconds,
      deadline,
      credentials: inputs.credentials,
      kms: kmsOf(inputs),
      progress,
    };
    if (inputs.syncTaskId !== undefined) {
      const task = await client.showTask(inputs.syncTaskId, { deadline });
      const differ = mismatches(inputs, task);
      if (differ.length > 0) {
        throw new OmsError({
          code: "CONFIG_ERROR",
          operation: "adopt",
          taskId: inputs.syncTaskId,
          reason: `the task's definition differs from the program: ${differ.join("; ")}`,
          hint: "Declare the task as OMS shows it (OMS cannot change a task), or leave out syncTaskId to create a new one",
        });
      }
      id = inputs.syncTaskId;
      const shown = await converge(client, id, inputs.state, { ...options, known: task });
      return { id, outs: withDigest(outputsFrom(inputs, id, shown), undefined, inputs) };
    }
    await refuseLeftover(client, inputs, deadline);
    id = await createOnce(client, inputs, deadline);
    // OMS starts a new task by itself: wait for that, or stop it at once without another look, as a stop countering a
    // start still in flight (an OMS may answer it "not in progress" until its start is done).
    const task =
      inputs.state === "started"
        ? await waitForStatus(
            client,
            {
              taskId: id,
              want: STATUS_FOR.started,
              action: "start",
              timeoutSeconds: inputs.timeoutSeconds,
              lastStatus: "new",
            },
            deadline,
            progress,
          )
        : await converge(client, id, "paused", {
            ...options,
            known: { syncTaskId: id, status: STATUS_FOR.started },
            inFlight: "started",
          });
    return { id, outs: withDigest(outputsFrom(inputs, id, task), undefined, inputs) };
  } catch (error) {
    const created = id !== undefined && inputs.syncTaskId === undefined;
    if (id !== undefined && (created || progress.sent.length > 0 || progress.underWay)) {
      // The task exists (or an adopted one was sent a start or stop): record it, so the next `up` converges it
      // instead of creating another, restarts it when the program's keys are no longer the ones it was given, and
      // finishes or reverses a change still in flight.
      const recorded: RecordedChange = {
        state: progress.underWay ? STATE_FOR[progress.underWay] : inputs.state,
        status: progress.lastStatus ?? "UNKNOWN",
        startKeysDigest: created || progress.sent.includes("start") ? digest : undefined,
        sent: progress.sent,
      };
      const told =
        error instanceof OmsError && (progress.sent.length > 0 || progress.underWay)
          ? withNote(withConfigHint(error), recordedNote(recorded))
          : error;
      return initFailure(told, RESOURCE, id, recordedOutputs(inputs, id)(recorded));
    }
    return surface(error, RESOURCE);
  }
});

/**
 * What a failed create or update records once the task exists: the state asked for, the status last seen and the
 * digest of the keys the task may run with. The per-resource keys are left out (the engine may not mark them secret
 * on this path); the next `up` records them.
 */
function recordedOutputs(inputs: SyncTaskInputs, id: string) {
  return (recorded: RecordedChange): Record<string, unknown> => {
    const { credentials: _keys, ...rest } = outputsFrom({ ...inputs, state: recorded.state }, id, {
      syncTaskId: id,
      status: recorded.status,
    });
    return compact({ ...rest, [DIGEST_OUTPUT]: recorded.startKeysDigest });
  };
}

export const update = learningCredentials(async function update(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<UpdateResult> {
  const inputs = inputsOf(news);
  try {
    const { task, digest } = await updateRunningState(
      () => clientFor(inputs, id),
      id,
      { ...inputs, kms: kmsOf(inputs) },
      olds,
    );
    // Without a call, what OMS last reported carries over.
    const outs = task ? outputsFrom(inputs, id, task) : { ...outputsFrom(inputs, id), ...pick(olds, OUTPUT_KEYS) };
    return { outs: compact({ ...outs, syncTaskId: id, [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    return surfaceRecording(error, RESOURCE, id, recordedOutputs(inputs, id));
  }
});

/** Outputs with the digest of the keys just sent (or, for an adopted task, in force from now on). */
function withDigest(outs: SyncTaskOutputs, recorded: unknown, inputs: SyncTaskInputs): SyncTaskOutputs {
  return compact({ ...outs, [DIGEST_OUTPUT]: digestToRecord(recorded, currentKeys(inputs.credentials)) });
}

function pick(from: object, keys: string[]): Record<string, unknown> {
  const record = from as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

/** Stored properties, with the connection filled from config where they lack it (as `check` does). */
function storedInputs(props: Record<string, unknown>): SyncTaskInputs {
  const stored = inputsOf(props ?? {});
  return {
    ...stored,
    ...storedConnection(props ?? {}),
    timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    state: stored.state ?? "started",
  };
}

/**
 * Refresh: one show. `state` follows the status (unless a start or stop recorded in flight is not done yet) and the
 * definition comes back as OMS shows it; gone: empty id.
 */
export const read = learningCredentials(async function read(
  id: string,
  props: Record<string, unknown>,
): Promise<ReadResult> {
  try {
    const stored = storedInputs(props);
    let task: OmsSyncTask;
    try {
      task = await clientFor(stored, id).showTask(id, { deadline: deadlineOf(stored) });
    } catch (error) {
      if (isGone(error)) return { id: "" };
      throw error;
    }
    const refreshed = compact({
      ...stored,
      ...shownDefinition(task),
      state: refreshedState(props ?? {}, task.status),
    } as SyncTaskInputs);
    // OMS never shows keys: the digest of the ones last sent carries over.
    const outs = compact({ ...outputsFrom(refreshed, id, task), [DIGEST_OUTPUT]: props?.[DIGEST_OUTPUT] });
    return { id, props: outs, inputs: refreshed };
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/**
 * Delete: show; a synchronizing task is stopped and waited for until STOPPED; then DELETE, retrying OMS.0063 ("task
 * in progress", which OMS also answers briefly after a stop) on the poll schedule until `timeoutSeconds`. A task
 * already gone counts as deleted. When the delete fails after the task was stopped for it, the task is started again
 * (the resource stays in state as started), and the error says whether that worked.
 */
export const remove = learningCredentials(async function remove(
  id: string,
  props: Record<string, unknown>,
): Promise<void> {
  try {
    const stored = storedInputs(props);
    const client = clientFor(stored, id);
    const deadline = deadlineOf(stored);
    const progress = noProgress();
    try {
      // Shows the task and stops it unless OMS shows it STOPPED; returns only once OMS shows STOPPED.
      const pause = async () => {
        const known = await client.showTask(id, { deadline });
        if (known.status !== STATUS_FOR.paused) {
          await converge(client, id, "paused", {
            timeoutSeconds: stored.timeoutSeconds,
            deadline,
            known,
            progress,
            rerun: "pulumi destroy",
          });
        }
      };
      await pause();
      const began = Date.now();
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.deleteTask(id, { deadline });
          return;
        } catch (error) {
          const busy = error instanceof OmsError && error.errorCode === "OMS.0063";
          if (!busy) throw error;
          if (Date.now() >= deadline) {
            throw amend(error, {
              hint: `OMS still reported it in progress after ${stored.timeoutSeconds} s; run \`pulumi destroy\` again, or raise timeoutSeconds`,
            });
          }
        }
        await pauseUntilNextPoll(began, attempt + 1, deadline, {
          taskId: id,
          waitingFor: "OMS stopped reporting the task in progress (OMS.0063)",
          hint: "Run `pulumi destroy` again",
        });
        // "In progress" after a stop is usually brief; but a start still in flight (a timed-out up) may have taken
        // effect since: look, and stop it again if so.
        await pause();
      }
    } catch (error) {
      if (isGone(error)) return;
      // The resource stays in state as it was: a task recorded as started must run again.
      const stopped = progress.sent.length > 0 && stored.state === "started";
      if (!stopped || !(error instanceof OmsError)) throw error;
      throw await startAgain(client, id, stored, deadline, error, progress.lastStatus, props[DIGEST_OUTPUT]);
    }
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/**
 * Undoes the stop a failed delete sent: the task was running, and the resource stays in state as started, so it must
 * run again. One start (with the keys and KMS ids a start needs) and a wait, within what is left of the delete's time
 * (at least one request's). `lastStatus` is what OMS showed last: unless STOPPED, the stop may still be in flight. Returns
 * the delete's error with a sentence on how the task was left.
 */
async function startAgain(
  client: OmsClient,
  id: string,
  stored: SyncTaskInputs,
  deadline: number,
  error: OmsError,
  lastStatus: string | undefined,
  recordedDigest: unknown,
): Promise<OmsError> {
  // A failed operation's record leaves a resource's own keys out of state: the configured ones may not be the task's.
  if (stored.credentials === undefined && keysStatus(recordedDigest, currentKeys(undefined)) === "rotated") {
    return withNote(
      error,
      "The delete had paused the task first; it was not started again, since the keys it was last started with are not in state and the configured ones differ: run `pulumi up` to start it with the program's keys, or `pulumi destroy` again to delete it",
    );
  }
  const progress = noProgress();
  try {
    await converge(client, id, "started", {
      timeoutSeconds: stored.timeoutSeconds,
      deadline: Math.max(deadline, Date.now() + MIN_REQUEST_TIMEOUT_MS),
      credentials: stored.credentials,
      kms: kmsOf(stored),
      // A stop not seen done (its wait ran out) may still land: the start must counter it.
      inFlight: lastStatus === STATUS_FOR.paused ? undefined : "paused",
      progress,
    });
    return withNote(error, "The delete had paused the task first; it was started again and is synchronizing");
  } catch (undo) {
    if (isGone(undo)) return error;
    const why = undo instanceof OmsError ? undo.reason : "it failed";
    const shown = progress.lastStatus ? `OMS last showed ${progress.lastStatus}` : "its status is not known";
    const sent = progress.sent.length > 0 ? "a start was sent but not seen to take effect" : "it could not be started";
    return withNote(
      error,
      `The delete had paused the task first; ${sent} (${why}), and ${shown}: run \`pulumi up --refresh\` to start it again, or \`pulumi destroy\` again to delete it`,
    );
  }
}
