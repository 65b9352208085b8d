// The functions, described once: `getSyncTask`, `getSyncTasks` and `getSyncTaskStatistics`, their arguments and
// results, and the object types the results use. The schema and the plugin's Invoke take them from here; the calls
// check exactly these arguments.
import { DEFINITION_FIELDS } from "../../client/definition";
import { MAX_STATISTICS_RANGE_MS, STATISTICS_DATA_TYPES } from "../../client/limits";
import { typeRef, type FunctionDescriptor, type ObjectTypeDescriptor, type Properties } from "../descriptor";
import { CONNECTION, integer, plain, string } from "../properties";
import { SYNC_TASK } from "../sync-task/descriptor";

/** The connection arguments every function takes; each defaults as a resource's input does. */
const CONNECTION_ARGUMENTS: Properties = {
  projectId: plain(CONNECTION.projectId),
  region: plain(CONNECTION.region),
  endpoint: plain(CONNECTION.endpoint),
};

const SUMMARY: Properties = {
  syncTaskId: string("The sync task id."),
  status: string("SYNCHRONIZING or STOPPED, as OMS shows it."),
  srcCloudType: string("The source cloud."),
  srcRegion: string("The source region."),
  srcBucket: string("The source bucket."),
  dstRegion: string("The destination region."),
  dstBucket: string("The destination bucket."),
  description: string("The task's description."),
  createTime: string("When OMS created the task (ISO 8601)."),
  lastStartTime: string("When OMS last started the task (ISO 8601)."),
};

/** A task as OMS lists it. */
export const SUMMARY_TYPE: ObjectTypeDescriptor = {
  name: "SyncTaskSummary",
  description: "A sync task as OMS lists it: where it syncs from and to, and its status. OMS never lists a key.",
  properties: SUMMARY,
  required: ["syncTaskId", "status"],
};

/** A point of a statistics series. */
export const POINT_TYPE: ObjectTypeDescriptor = {
  name: "SyncTaskStatisticsPoint",
  description: "A point of a statistics series.",
  properties: {
    time: integer("The point's time, in epoch milliseconds."),
    value: integer("Objects, or bytes for SIZE."),
  },
  required: ["time", "value"],
};

/** What a read of one task returns: its definition as OMS shows it, its status and this month's counters. */
function taskResults(): Properties {
  const properties: Properties = { ...SYNC_TASK.inputs, ...SYNC_TASK.outputs };
  properties.syncTaskId = { ...properties.syncTaskId, description: SYNC_TASK.outputWords.syncTaskId };
  const shown = DEFINITION_FIELDS.filter((f) => "shown" in f && f.shown).map((f) => f.input);
  const keys = ["syncTaskId", "state", "status", "projectId", "region", "endpoint", ...shown];
  keys.push(...Object.keys(SYNC_TASK.outputs).filter((key) => !keys.includes(key) && key !== "startKeysDigest"));
  return Object.fromEntries(keys.map((key) => [key, plain(properties[key])]));
}

/** A function's own arguments: all but the connection, which every function takes. */
export const ownArguments = (f: FunctionDescriptor): string[] =>
  Object.keys(f.arguments).filter((key) => !(key in CONNECTION_ARGUMENTS));

/** `getSyncTask`: a task read by id. */
export const GET_SYNC_TASK: FunctionDescriptor = {
  name: "getSyncTask",
  description:
    "Reads a sync task by id: its definition as OMS shows it, its status and this month's counters. One show call; nothing changes. Connection settings default to the provider's, as for a resource.",
  arguments: {
    syncTaskId: plain({ type: "string", description: "The id of an existing OMS sync task." }),
    ...CONNECTION_ARGUMENTS,
  },
  requiredArguments: ["syncTaskId"],
  results: taskResults(),
  alwaysReturned: ["syncTaskId", "state", "status", "projectId"],
};

/** `getSyncTasks`: the project's tasks. */
export const GET_SYNC_TASKS: FunctionDescriptor = {
  name: "getSyncTasks",
  description:
    "Lists the project's sync tasks, every page (up to OMS's last offset), as summaries without keys. Connection settings default to the provider's, as for a resource.",
  arguments: {
    status: string("Only tasks with this status: SYNCHRONIZING or STOPPED. Default: every task."),
    ...CONNECTION_ARGUMENTS,
  },
  requiredArguments: [],
  results: {
    tasks: { type: "array", items: { $ref: typeRef(SUMMARY_TYPE) }, description: "The tasks, in OMS's order." },
  },
  alwaysReturned: ["tasks"],
};

const hours = MAX_STATISTICS_RANGE_MS / 3_600_000;
const time = (which: string) =>
  string(
    `${which} of the range: epoch milliseconds (13 digits, as a string of digits) or an ISO 8601 date such as 2027-01-01T00:00:00Z.`,
  );

/** `getSyncTaskStatistics`: one statistics series of a task. */
export const GET_SYNC_TASK_STATISTICS: FunctionDescriptor = {
  name: "getSyncTaskStatistics",
  description: `Reads one statistics series of a sync task between two times (at most ${hours} hours apart): its points and their sum. One statistics call; nothing changes.`,
  arguments: {
    syncTaskId: string("The id of an existing OMS sync task."),
    dataType: string(
      `${STATISTICS_DATA_TYPES.join(", ")}: objects requested, synchronized, failed or skipped, or bytes synchronized (SIZE).`,
    ),
    startTime: time("Start"),
    endTime: time("End, after startTime,"),
    ...CONNECTION_ARGUMENTS,
  },
  requiredArguments: ["syncTaskId", "dataType", "startTime", "endTime"],
  results: {
    syncTaskId: string("The sync task id."),
    dataType: string("The data type asked for."),
    startTime: integer("The start of the range, in epoch milliseconds."),
    endTime: integer("The end of the range, in epoch milliseconds."),
    interval: string("How far apart the points are: FIVE_MINUTES or ONE_HOUR, as OMS reports it."),
    points: { type: "array", items: { $ref: typeRef(POINT_TYPE) }, description: "The series, in time order." },
    sum: integer("The sum of the points' values."),
  },
  alwaysReturned: ["syncTaskId", "dataType", "startTime", "endTime", "points", "sum"],
};
