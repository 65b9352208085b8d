// `getSyncTasks`: the project's sync tasks, every page read (bounded by the client), as summaries that hold no key.
import { GET_SYNC_TASKS, ownArguments } from "./descriptors";
import type { OmsSyncTask } from "../../client/types";
import type { ConfigLookup } from "../config";
import { describe } from "../values";
import { compact } from "../../utils/compact";
import { checkedCall, type FunctionConnectionArgs, type Outcome } from "./call";

/** Arguments of {@link getSyncTasks}. */
export interface GetSyncTasksArgs extends FunctionConnectionArgs {
  /** Only tasks with this status: `SYNCHRONIZING` or `STOPPED`. Default: every task. */
  status?: "SYNCHRONIZING" | "STOPPED";
}

/** The fields a summary keeps of a listed task, as OMS shows them. */
const SUMMARY_FIELDS = [
  "syncTaskId",
  "status",
  "srcCloudType",
  "srcRegion",
  "srcBucket",
  "dstRegion",
  "dstBucket",
  "description",
] as const;

/** One task as the list shows it: where it syncs from and to, and its status. OMS never lists a key. */
export type SyncTaskSummary = Pick<OmsSyncTask, (typeof SUMMARY_FIELDS)[number]> & {
  /** When OMS created the task (ISO 8601). */
  createTime?: string;
  /** When OMS last started the task (ISO 8601). */
  lastStartTime?: string;
};

/** What {@link getSyncTasks} returns. */
export interface GetSyncTasksResult {
  tasks: SyncTaskSummary[];
}

/** The arguments, as the schema's `oms:index:getSyncTasks` names them. */
export const GET_SYNC_TASKS_ARGS = ownArguments(GET_SYNC_TASKS);

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The summary of a listed task: the fields named above and nothing else. */
export function summaryOf(t: OmsSyncTask): SyncTaskSummary {
  const shown = Object.fromEntries(SUMMARY_FIELDS.map((key) => [key, t[key]])) as SyncTaskSummary;
  return compact({ ...shown, createTime: iso(t.createTime), lastStartTime: iso(t.lastStartTime) });
}

/** Both doors' `getSyncTasks`: the arguments checked (nothing sent when one is wrong), then every page listed. */
export async function listSyncTasks(args: unknown, lookup?: ConfigLookup): Promise<Outcome<GetSyncTasksResult>> {
  const call = checkedCall("getSyncTasks", args, GET_SYNC_TASKS_ARGS, lookup, (c) => {
    const status = c.news.status;
    if (status === undefined || status === null) return;
    if (status === "SYNCHRONIZING" || status === "STOPPED") c.inputs.status = status;
    else
      c.failures.push({
        property: "status",
        reason: `status must be SYNCHRONIZING or STOPPED; got ${describe(status)}`,
      });
  });
  if (call.failures) return { failures: call.failures };
  const status = call.inputs.status as GetSyncTasksArgs["status"];
  const tasks = await call.client.listTasks(status ? { status } : {});
  return { result: { tasks: tasks.map(summaryOf) } };
}
