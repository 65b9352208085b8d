// The plugin's functions. `oms:index:getSyncTask`: a task read by id, through the SyncTask lifecycle's own refresh,
// which sends one show and changes nothing. `getSyncTasks` and `getSyncTaskStatistics`: the calls the Node.js
// functions make, their failures turned into the protocol's.
import { CheckFailure, InvokeResponse, type InvokeRequest } from "@pulumi/pulumi/proto/provider_pb";
import { checkKnownKeys, checkTaskId, type Checking } from "../core/check";
import { GET_SYNC_TASK as GET_TASK } from "../core/functions/descriptors";
import { read } from "../core/sync-task/lifecycle";
import { listSyncTasks } from "../core/functions/get-sync-tasks";
import { taskStatistics } from "../core/functions/get-sync-task-statistics";
import type { Outcome } from "../core/functions/call";
import { GET_SYNC_TASK, GET_SYNC_TASKS, GET_SYNC_TASK_STATISTICS } from "./schema";
import { received, toStruct, type Bag } from "./values";

const ARGUMENTS = Object.keys(GET_TASK.arguments);
const RESULTS = Object.keys(GET_TASK.results);

function failure(property: string, reason: string): CheckFailure {
  const f = new CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

/**
 * `oms:index:getSyncTask`: the id checked as a resource's `syncTaskId` is, the task read through the SyncTask
 * lifecycle's own refresh, and its definition, status and counters returned. A task OMS does not show is a failure.
 */
async function readTask(args: Bag): Promise<Outcome<object>> {
  const checking: Checking = { news: args, inputs: {}, failures: [] };
  checkTaskId(checking, "the id of an existing OMS sync task");
  checkKnownKeys(checking, { kind: "argument", of: GET_SYNC_TASK, keys: ARGUMENTS });
  if (checking.failures.length > 0) return { failures: checking.failures };
  const id = checking.inputs.syncTaskId as string;
  const connection = Object.fromEntries(
    ARGUMENTS.filter((k) => k !== "syncTaskId" && args[k] != null).map((k) => [k, args[k]]),
  );
  const result = await read(id, connection);
  if (!result.id) {
    return {
      failures: [
        {
          property: "syncTaskId",
          reason: `OMS shows no sync task ${id} in this project and region; check syncTaskId, projectId and region`,
        },
      ],
    };
  }
  const outputs = (result.props ?? {}) as Bag;
  return { result: Object.fromEntries(RESULTS.map((key) => [key, outputs[key]])) };
}

/** Every function, by token; their settings are the provider's (`Configure`). */
const CALLS: Record<string, (args: Bag) => Promise<Outcome<object>>> = {
  [GET_SYNC_TASK]: readTask,
  [GET_SYNC_TASKS]: (args) => listSyncTasks(args),
  [GET_SYNC_TASK_STATISTICS]: (args) => taskStatistics(args),
};

/**
 * Invoke: the function's arguments checked (bad ones are failures, and nothing is sent), then its call; an OMS error
 * is the call's error. Throws for a token the plugin has no function for.
 */
export async function invoke(request: InvokeRequest): Promise<InvokeResponse> {
  const token = request.getTok();
  const call = CALLS[token];
  if (!call) {
    throw new Error(`the oms plugin has no function ${JSON.stringify(token)}; it has ${Object.keys(CALLS).join(", ")}`);
  }
  const outcome = await call(received(request.getArgs()).bag);
  const response = new InvokeResponse();
  if (outcome.failures) response.setFailuresList(outcome.failures.map((f) => failure(f.property, f.reason)));
  else response.setReturn(toStruct(outcome.result as Bag));
  return response;
}
