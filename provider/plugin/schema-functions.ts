// The schema of the functions both doors share (`getSyncTasks`, `getSyncTaskStatistics`) and the object types their
// results use, in the words of the Node.js functions' own docs.
import { MAX_STATISTICS_RANGE_MS, STATISTICS_DATA_TYPES } from "../client/limits";
import type { PropertySpec } from "./schema-words";

/** The function that lists the project's tasks. */
export const GET_SYNC_TASKS = "oms:index:getSyncTasks";
/** The function that reads one statistics series of a task. */
export const GET_SYNC_TASK_STATISTICS = "oms:index:getSyncTaskStatistics";
/** The token of a listed task's summary. */
export const SUMMARY_TYPE = "oms:index:SyncTaskSummary";
/** The token of a statistics point. */
export const POINT_TYPE = "oms:index:SyncTaskStatisticsPoint";

type Properties = Record<string, PropertySpec>;
interface ObjectSpec {
  properties: Properties;
  required: string[];
}

const string = (description: string): PropertySpec => ({ type: "string", description });
const integer = (description: string): PropertySpec => ({ type: "integer", description });

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

/** The object types the functions' results use. */
export function functionTypes(): Record<
  string,
  { type: "object"; description: string; properties: Properties; required: string[] }
> {
  return {
    [SUMMARY_TYPE]: {
      type: "object",
      description: "A sync task as OMS lists it: where it syncs from and to, and its status. OMS never lists a key.",
      properties: SUMMARY,
      required: ["syncTaskId", "status"],
    },
    [POINT_TYPE]: {
      type: "object",
      description: "A point of a statistics series.",
      properties: {
        time: integer("The point's time, in epoch milliseconds."),
        value: integer("Objects, or bytes for SIZE."),
      },
      required: ["time", "value"],
    },
  };
}

/** The functions' schema, keyed by token; connection arguments are the resource's (`projectId`, `region`, `endpoint`). */
export function functionSpecs(
  connection: Properties,
): Record<string, { description: string; inputs: ObjectSpec; outputs: ObjectSpec }> {
  const hours = MAX_STATISTICS_RANGE_MS / 3_600_000;
  const time = (which: string) =>
    string(
      `${which} of the range: epoch milliseconds (13 digits, as a string of digits) or an ISO 8601 date such as 2027-01-01T00:00:00Z.`,
    );
  return {
    [GET_SYNC_TASKS]: {
      description:
        "Lists the project's sync tasks, every page (up to OMS's last offset), as summaries without keys. Connection settings default to the provider's, as for a resource.",
      inputs: {
        properties: {
          status: string("Only tasks with this status: SYNCHRONIZING or STOPPED. Default: every task."),
          ...connection,
        },
        required: [],
      },
      outputs: {
        properties: {
          tasks: {
            type: "array",
            items: { $ref: `#/types/${SUMMARY_TYPE}` },
            description: "The tasks, in OMS's order.",
          },
        },
        required: ["tasks"],
      },
    },
    [GET_SYNC_TASK_STATISTICS]: {
      description: `Reads one statistics series of a sync task between two times (at most ${hours} hours apart): its points and their sum. One statistics call; nothing changes.`,
      inputs: {
        properties: {
          syncTaskId: string("The id of an existing OMS sync task."),
          dataType: string(
            `${STATISTICS_DATA_TYPES.join(", ")}: objects requested, synchronized, failed or skipped, or bytes synchronized (SIZE).`,
          ),
          startTime: time("Start"),
          endTime: time("End, after startTime,"),
          ...connection,
        },
        required: ["syncTaskId", "dataType", "startTime", "endTime"],
      },
      outputs: {
        properties: {
          syncTaskId: string("The sync task id."),
          dataType: string("The data type asked for."),
          startTime: integer("The start of the range, in epoch milliseconds."),
          endTime: integer("The end of the range, in epoch milliseconds."),
          interval: string("How far apart the points are: FIVE_MINUTES or ONE_HOUR, as OMS reports it."),
          points: {
            type: "array",
            items: { $ref: `#/types/${POINT_TYPE}` },
            description: "The series, in time order.",
          },
          sum: integer("The sum of the points' values."),
        },
        required: ["syncTaskId", "dataType", "startTime", "endTime", "points", "sum"],
      },
    },
  };
}
