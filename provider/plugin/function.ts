// The plugin's functions, each a translation: the arguments in, the core's call (core/functions), its result or its
// per-argument failures out in the protocol's terms.
import { CheckFailure, InvokeResponse, type InvokeRequest } from "@pulumi/pulumi/proto/provider_pb";
import { readSyncTask } from "../core/functions/get-sync-task";
import { listSyncTasks } from "../core/functions/get-sync-tasks";
import { taskStatistics } from "../core/functions/get-sync-task-statistics";
import type { Outcome } from "../core/functions/call";
import { GET_SYNC_TASK, GET_SYNC_TASKS, GET_SYNC_TASK_STATISTICS } from "./schema";
import { received, toStruct, type Bag } from "./values";

function failure(property: string, reason: string): CheckFailure {
  const f = new CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

/** Every function, by token; their settings are the provider's (`Configure`). */
const CALLS: Record<string, (args: Bag) => Promise<Outcome<object>>> = {
  [GET_SYNC_TASK]: readSyncTask,
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
