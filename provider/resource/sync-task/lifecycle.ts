// The SyncTask lifecycle: a whole OMS sync task, created (or adopted), started or paused, and deleted. No HTTP here;
// the OMS client does that. The serialized provider loads this module by name from the installed package.
import type * as pulumi from "@pulumi/pulumi";
import { LIST_PAGE_SIZE, type OmsClient } from "../../client/oms-client";
import { SYNC_TASK_QUOTA } from "../../client/limits";
import type { OmsSyncTask } from "../../client/types";
import { amend, OmsError } from "../../errors/oms-error";
import { compact } from "../../utils/compact";
import { checkShared, checkTaskId, kmsOf, runCheck, SHARED_INPUT_KEYS } from "../shared/check";
import { changed, isUnknown, same, PROVIDER_KEY } from "../shared/values";
import { clientFor, isGone, learningCredentials, storedConnection } from "../shared/provider-process";
import {
  converge,
  recordedNote,
  STATE_FOR,
  refreshedState,
  updateRunningState,
  updatesRunningState,
  type RecordedChange,
} from "../shared/converge";
import { currentKeys, digestToRecord, DIGEST_OUTPUT, startKeysFor } from "../shared/start-keys";
import {
  canonical,
  checkCdnKey,
  checkDefinition,
  definitionOf,
  DEFINITION_KEYS,
  mismatches,
  shownDefinition,
} from "./definition";
import { initFailure, surface, surfaceRecording, withConfigHint, withNote } from "../shared/plugin-errors";
import { DEFAULT_TIMEOUT_SECONDS, noProgress, STATUS_FOR } from "../shared/types";
import { MIN_REQUEST_TIMEOUT_MS } from "../../client/oms-client";
import { SYNC_TASK_OUTPUT_KEYS, type SyncTaskInputs, type SyncTaskOutputs } from "./types";
import { pauseUntilNextPoll, waitForStatus } from "../shared/wait";

export { configure } from "../shared/provider-process";

const RESOURCE = "SyncTask";
const INPUT_KEYS = [...DEFINITION_KEYS, "syncTaskId", ...SHARED_INPUT_KEYS];
const OUTPUT_KEYS: string[] = SYNC_TASK_OUTPUT_KEYS.filter((key) => key !== "syncTaskId");
/** The most a create may be off in time to count as ours when a lost answer is looked for; as the signing skew. */
const CREATE_CLOCK_SLACK_MS = 15 * 60_000;
/** The time a list made to explain a failed create may take, whatever is left of the operation's deadline. */
const LOOKUP_MS = 30_000;
/** The most task ids a message names. */
const MAX_QUOTED_IDS = 10;

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export const check = learningCredentials(async function check(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  return runCheck(news, { name: RESOURCE, inputKeys: INPUT_KEYS, outputKeys: OUTPUT_KEYS }, (c) => {
    checkDefinition(c);
    const adopting = c.news.syncTaskId !== undefined && c.news.syncTaskId !== null;
    if (adopting) checkTaskId(c, "the id of an existing OMS sync task to adopt");
    // A new task needs the source and destination keys in its create call, whatever its state.
    checkShared(c, { stateDefault: "started", keysNeeded: adopting ? undefined : true });
    checkCdnKey(c);
  });
});

// ---- diff ------------------------------------------------------------------------------------------------------

/**
 * A definition field, `projectId` or `region` replaces the task, deleting the old one first (an account holds only 5
 * tasks); so does a new `syncTaskId` to adopt. `state` (start or stop), `endpoint`, `timeoutSeconds` and
 * `credentials` update it.
 */
export const diff = learningCredentials(async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = DEFINITION_KEYS.filter(
    (key) => isUnknown(news[key]) || !same(canonical(olds, key), canonical(news, key)),
  );
  for (const key of ["projectId", "region"]) {
    if (changed(olds, news, key)) replaces.push(key);
  }
  // The id is an output of a created task; an input only when adopting.
  if (news.syncTaskId !== undefined && (isUnknown(news.syncTaskId) || news.syncTaskId !== olds.syncTaskId)) {
    replaces.push("syncTaskId");
  }
  return {
    changes: replaces.length > 0 || updatesRunningState(olds, news),
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
});

// ---- create, read, update, delete --------------------------------------------------------------------------------

function inputsOf(props: Record<string, unknown>): SyncTaskInputs {
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs as unknown as SyncTaskInputs;
}

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

/**
 * Whether a refused create may be the quota. Its code is not documented, and a message that speaks of a limit may
 * as well be about a field (a bucket name too long): this is only a reason to count the tasks.
 */
function soundsLikeQuota(error: unknown): error is OmsError {
  return (
    error instanceof OmsError &&
    error.status === 400 &&
    /upper limit|quota|at most \d+|maximum|exceed/i.test(error.errorMsg ?? "")
  );
}

/**
 * A create refused with a message about a limit is the quota only when the tasks say so: OMS allows
 * {@link SYNC_TASK_QUOTA} per account, so a project holding that many (listed now) is at it. Otherwise OMS's own
 * error goes through, with a note on the tasks of other projects, which count too but cannot be listed from here.
 */
async function explainLimit(client: OmsClient, error: OmsError, deadline: number): Promise<OmsError> {
  const tasks = await projectTasks(client, deadline);
  if (tasks === undefined) return error;
  if (tasks.length >= SYNC_TASK_QUOTA) {
    return amend(error, {
      reason: `the account already has as many sync tasks as OMS allows (${SYNC_TASK_QUOTA}); this project has ${countOf(tasks)} (${idsOf(tasks)}): ${error.reason}`,
      hint: "Delete a task you no longer need, or adopt an existing one by passing its id as syncTaskId",
    });
  }
  const counted = `this project has ${countOf(tasks)} sync task${tasks.length === 1 ? "" : "s"}`;
  return amend(error, {
    hint: [
      error.hint,
      `If OMS means its quota of ${SYNC_TASK_QUOTA} sync tasks per account: ${counted}; tasks in the account's other projects count too`,
    ]
      .filter(Boolean)
      .join(". "),
  });
}

/**
 * The project's tasks, to explain a failed create; `undefined` when they cannot be listed. The list gets time of its
 * own even when the create used up the deadline (without it the failure could not be explained), and one page: OMS
 * allows 5 tasks per account, so more than a page is not an OMS answer worth reading on.
 */
function projectTasks(client: OmsClient, deadline: number): Promise<OmsSyncTask[] | undefined> {
  return client
    .listTasks({}, { deadline: Math.max(deadline, Date.now() + LOOKUP_MS), maxTasks: LIST_PAGE_SIZE })
    .catch(() => undefined);
}

/** "5", or "at least 100" when the list stopped at its one page. */
const countOf = (tasks: OmsSyncTask[]) =>
  tasks.length >= LIST_PAGE_SIZE ? `at least ${tasks.length}` : `${tasks.length}`;

/** Task ids for a message: the first {@link MAX_QUOTED_IDS}, then how many more; a server may list thousands. */
function idsOf(tasks: OmsSyncTask[]): string {
  const shown = tasks.slice(0, MAX_QUOTED_IDS).map((t) => t.syncTaskId);
  const more = tasks.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** A failure of create after which the task may or may not exist: OMS may have processed it. */
function mayHaveCreated(error: unknown): boolean {
  return (
    error instanceof OmsError &&
    (["NETWORK_ERROR", "TIMEOUT", "INVALID_RESPONSE"].includes(error.code) || (error.status ?? 0) >= 500)
  );
}

/** Whether `task` syncs the same bucket pair, between the same regions, as `inputs` declares. */
const samePair = (task: OmsSyncTask, inputs: SyncTaskInputs) =>
  task.srcBucket === inputs.srcBucket &&
  task.dstBucket === inputs.dstBucket &&
  task.srcRegion === inputs.srcRegion &&
  task.dstRegion === inputs.dstRegion;

/**
 * Refuses to create a second task for a bucket pair that already has one. A `pulumi up` interrupted while its create
 * waited leaves a task that no stack holds (the engine never learned its id), and the next `up` would create another
 * one silently. One list of the project's tasks before each create; when the list fails, the create goes ahead.
 */
async function refuseLeftover(client: OmsClient, inputs: SyncTaskInputs, deadline: number): Promise<void> {
  const existing = (await projectTasks(client, deadline))?.filter((t) => samePair(t, inputs)) ?? [];
  if (existing.length === 0) return;
  const [first] = existing;
  throw new OmsError({
    code: "CONFIG_ERROR",
    operation: "create",
    taskId: first.syncTaskId,
    reason: `OMS already has a sync task from ${inputs.srcBucket} to ${inputs.dstBucket} (${idsOf(existing)}, status ${first.status}), and a second one for the same buckets would sync every object twice; an interrupted \`pulumi up\` leaves such a task behind`,
    hint: `If it is this resource's, adopt it: set syncTaskId: "${first.syncTaskId}" on the resource and run \`pulumi up\` again (it checks the definition and makes no create). Otherwise delete it in the console, or sync another bucket pair`,
  });
}

/**
 * Creates the task. When the answer was lost (a reset, a timeout, a 5xx), looks for the task among the project's
 * tasks before failing, so that a lost answer neither leaks a task nor creates a second one on the next `up`.
 */
async function createOnce(client: OmsClient, inputs: SyncTaskInputs, deadline: number): Promise<string> {
  const startedAt = Date.now();
  try {
    return await client.createTask(definitionOf(inputs), startKeysFor(inputs.credentials, undefined), { deadline });
  } catch (error) {
    if (soundsLikeQuota(error)) throw await explainLimit(client, error, deadline);
    if (!mayHaveCreated(error)) throw error;
    const found = await projectTasks(client, deadline).then((tasks) =>
      tasks?.filter(
        (t) =>
          samePair(t, inputs) &&
          (t.description ?? "") === (inputs.description ?? "") &&
          (t.createTime === undefined || t.createTime >= startedAt - CREATE_CLOCK_SLACK_MS),
      ),
    );
    if (found?.length === 1) return found[0].syncTaskId;
    throw amend(error as OmsError, {
      hint:
        found && found.length > 1
          ? `OMS may have created the task; ${found.length} tasks match the definition (${idsOf(found)}): adopt the right one with syncTaskId`
          : "OMS may or may not have created the task: check the console (or list the tasks) before running `pulumi up` again, and adopt it with syncTaskId if it exists",
    });
  }
}

export const create = learningCredentials(async function create(
  props: Record<string, unknown>,
): Promise<pulumi.dynamic.CreateResult> {
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
            force: true,
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
      return initFailure(told, RESOURCE, id, recordedOutputs(inputs, id, props[PROVIDER_KEY])(recorded));
    }
    return surface(error, RESOURCE);
  }
});

/**
 * What a failed create or update records once the task exists: the state asked for, the status last seen and the
 * digest of the keys the task may run with. The per-resource keys are left out (the engine may not mark them secret
 * on this path); the next `up` records them.
 */
function recordedOutputs(inputs: SyncTaskInputs, id: string, provider: unknown) {
  return (recorded: RecordedChange): Record<string, unknown> => {
    const { credentials: _keys, ...rest } = outputsFrom({ ...inputs, state: recorded.state }, id, {
      syncTaskId: id,
      status: recorded.status,
    });
    return compact({ ...rest, [DIGEST_OUTPUT]: recorded.startKeysDigest, [PROVIDER_KEY]: provider });
  };
}

export const update = learningCredentials(async function update(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
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
    return surfaceRecording(error, RESOURCE, id, recordedOutputs(inputs, id, news[PROVIDER_KEY]));
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
): Promise<pulumi.dynamic.ReadResult> {
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
      throw await startAgain(client, id, stored, deadline, error);
    }
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/**
 * Undoes the stop a failed delete sent: the task was running, and the resource stays in state as started, so it must
 * run again. One start (with the keys and KMS ids a start needs) and a wait, within what is left of the delete's time
 * (at least one request's). Returns the delete's error with a sentence on how the task was left.
 */
async function startAgain(
  client: OmsClient,
  id: string,
  stored: SyncTaskInputs,
  deadline: number,
  error: OmsError,
): Promise<OmsError> {
  const progress = noProgress();
  try {
    await converge(client, id, "started", {
      timeoutSeconds: stored.timeoutSeconds,
      deadline: Math.max(deadline, Date.now() + MIN_REQUEST_TIMEOUT_MS),
      credentials: stored.credentials,
      kms: kmsOf(stored),
      force: true,
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
