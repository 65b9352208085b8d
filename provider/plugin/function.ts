// The plugin's functions. `oms:index:getSyncTask`: a task read by id, through the SyncTask lifecycle's own refresh,
// which sends one show and changes nothing. `getSyncTasks` and `getSyncTaskStatistics`: the calls the Node.js
// functions make, their failures turned into the protocol's.
import { CheckFailure, InvokeResponse, type InvokeRequest } from "@pulumi/pulumi/proto/provider_pb";
import { checkTaskId, type Checking } from "../core/check";
import { read } from "../core/sync-task/lifecycle";
import { listSyncTasks } from "../core/functions/get-sync-tasks";
import { taskStatistics } from "../core/functions/get-sync-task-statistics";
import type { Outcome } from "../core/functions/call";
import { buildSchema, GET_SYNC_TASK } from "./schema";
import { GET_SYNC_TASKS, GET_SYNC_TASK_STATISTICS } from "./schema-functions";
import { received, toStruct, type Bag } from "./values";

const SPEC = buildSchema().functions[GET_SYNC_TASK];
const ARGUMENTS = Object.keys(SPEC.inputs.properties);
const RESULTS = Object.keys(SPEC.outputs.properties);

function failure(property: string, reason: string): CheckFailure {
  const f = new CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

/**
 * Invoke of `oms:index:getSyncTask`: the id checked as a resource's `syncTaskId` is, the task read, and its
 * definition, status and counters returned. Bad arguments and a task OMS does not show are failures; an OMS error
 * is the call's error. Throws for any other function token.
 */
export async function invoke(request: InvokeRequest): Promise<InvokeResponse> {
  const token = request.getTok();
  const call = CALLS[token];
  if (token !== GET_SYNC_TASK && !call) {
    const tokens = [GET_SYNC_TASK, ...Object.keys(CALLS)].join(", ");
    throw new Error(`the oms plugin has no function ${JSON.stringify(token)}; it has ${tokens}`);
  }
  const args = received(request.getArgs()).bag;
  if (call) return responseOf(await call(args));
  const response = new InvokeResponse();
  const checking: Checking = { news: args, inputs: {}, failures: [] };
  checkTaskId(checking, "the id of an existing OMS sync task");
  const failures = checking.failures.map((f) => failure(f.property, f.reason));
  for (const key of Object.keys(args).filter((k) => !ARGUMENTS.includes(k))) {
    failures.push(failure(key, `${key} is not an argument of ${GET_SYNC_TASK}; arguments are ${ARGUMENTS.join(", ")}`));
  }
  if (failures.length > 0) {
    response.setFailuresList(failures);
    return response;
  }
  const id = checking.inputs.syncTaskId as string;
  const connection = Object.fromEntries(
    ARGUMENTS.filter((k) => k !== "syncTaskId" && args[k] != null).map((k) => [k, args[k]]),
  );
  const result = await read(id, connection);
  if (!result.id) {
    response.setFailuresList([
      failure(
        "syncTaskId",
        `OMS shows no sync task ${id} in this project and region; check syncTaskId, projectId and region`,
      ),
    ]);
    return response;
  }
  const outputs = (result.props ?? {}) as Bag;
  response.setReturn(toStruct(Object.fromEntries(RESULTS.map((key) => [key, outputs[key]]))));
  return response;
}

/** The functions both doors share, by token; their settings are the provider's (`Configure`). */
const CALLS: Record<string, (args: Bag) => Promise<Outcome<object>>> = {
  [GET_SYNC_TASKS]: (args) => listSyncTasks(args),
  [GET_SYNC_TASK_STATISTICS]: (args) => taskStatistics(args),
};

function responseOf(outcome: Outcome<object>): InvokeResponse {
  const response = new InvokeResponse();
  if (outcome.failures) response.setFailuresList(outcome.failures.map((f) => failure(f.property, f.reason)));
  else response.setReturn(toStruct(outcome.result as Bag));
  return response;
}
