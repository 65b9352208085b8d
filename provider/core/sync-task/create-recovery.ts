// Creating a SyncTask without losing one or making two: a leftover task for the same buckets is refused before the
// create, a lost answer is looked for among the project's tasks, and a refusal that may be the quota is explained
// from them. No HTTP here beyond the client's calls.
import { LIST_PAGE_SIZE, type OmsClient } from "../../client/oms-client";
import { SYNC_TASK_QUOTA } from "../../client/limits";
import type { OmsSyncTask } from "../../client/types";
import { amend, OmsError } from "../../errors/oms-error";
import { startKeysFor } from "../start-keys";
import { definitionOf } from "./definition";
import type { SyncTaskInputs } from "./types";

/** The most a create may be off in time to count as ours when a lost answer is looked for; as the signing skew. */
const CREATE_CLOCK_SLACK_MS = 15 * 60_000;
/** The time a list made to explain a failed create may take, whatever is left of the operation's deadline. */
const LOOKUP_MS = 30_000;
/** The most task ids a message names. */
const MAX_QUOTED_IDS = 10;

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
export async function refuseLeftover(client: OmsClient, inputs: SyncTaskInputs, deadline: number): Promise<void> {
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
export async function createOnce(client: OmsClient, inputs: SyncTaskInputs, deadline: number): Promise<string> {
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
