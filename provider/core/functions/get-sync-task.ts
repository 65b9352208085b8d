// `getSyncTask`: one task read by id through the SyncTask lifecycle's own refresh, which sends one show and changes
// nothing; its definition as OMS shows it, its status and this month's counters.
import { checkKnownKeys, checkTaskId, type Checking } from "../check";
import { pluginToken } from "../descriptor";
import type { Bag } from "../lifecycle";
import { read } from "../sync-task/lifecycle";
import type { Outcome } from "./call";
import { GET_SYNC_TASK } from "./descriptors";

const ARGUMENTS = Object.keys(GET_SYNC_TASK.arguments);
const RESULTS = Object.keys(GET_SYNC_TASK.results);

/**
 * The plugin's `getSyncTask`: the id checked as a resource's `syncTaskId` is (nothing is sent when an argument is
 * wrong), the task read with the connection given or the provider's, and the results the descriptor names. A task
 * OMS does not show is a failure of `syncTaskId`; an OMS error is the call's error.
 */
export async function readSyncTask(args: Bag): Promise<Outcome<Bag>> {
  const checking: Checking = { news: args, inputs: {}, failures: [] };
  checkTaskId(checking, "the id of an existing OMS sync task");
  checkKnownKeys(checking, { kind: "argument", of: pluginToken(GET_SYNC_TASK), keys: ARGUMENTS });
  if (checking.failures.length > 0) return { failures: checking.failures };
  const id = checking.inputs.syncTaskId as string;
  const connection = Object.fromEntries(
    ARGUMENTS.filter((k) => k !== "syncTaskId" && args[k] != null).map((k) => [k, args[k]]),
  );
  const result = await read(id, connection);
  if (!result.id) {
    const reason = `OMS shows no sync task ${id} in this project and region; check syncTaskId, projectId and region`;
    return { failures: [{ property: "syncTaskId", reason }] };
  }
  const outputs = (result.props ?? {}) as Bag;
  return { result: Object.fromEntries(RESULTS.map((key) => [key, outputs[key]])) };
}
