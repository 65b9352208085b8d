// `getSyncTaskStatistics`: one statistics series of a task over a time range, as points and their sum.
import { GET_SYNC_TASK_STATISTICS, ownArguments } from "./descriptors";
import { MAX_TASK_ID_CHARS } from "../../client/limits";
import type { StatisticsDataType, StatisticsPoint } from "../../client/types";
import { statisticsQueryProblem } from "../../client/wire";
import { checkTaskId, type Checking } from "../check";
import type { ConfigLookup } from "../config";
import { describe } from "../values";
import { checkedCall, type FunctionConnectionArgs, type Outcome } from "./call";

/** Arguments of {@link getSyncTaskStatistics}. */
export interface GetSyncTaskStatisticsArgs extends FunctionConnectionArgs {
  /** The id of an existing OMS sync task. */
  syncTaskId: string;
  /** REQUEST, SUCCESS, FAILURE or SKIP (objects), or SIZE (bytes synchronized). */
  dataType: StatisticsDataType;
  /** Start of the range: epoch milliseconds, an ISO 8601 date, or a `Date`. */
  startTime: number | string | Date;
  /** End of the range, after `startTime` and at most 1,000 hours later; the same forms. */
  endTime: number | string | Date;
}

/** What {@link getSyncTaskStatistics} returns. */
export interface GetSyncTaskStatisticsResult {
  syncTaskId: string;
  dataType: StatisticsDataType;
  /** The range asked for, in epoch ms. */
  startTime: number;
  endTime: number;
  /** How far apart the points are (`FIVE_MINUTES` or `ONE_HOUR`), as OMS reports it. */
  interval?: string;
  /** The series: `time` in epoch ms, `value` in objects (bytes for SIZE). */
  points: StatisticsPoint[];
  /** The sum of the points' values. */
  sum: number;
}

/** The arguments, as the schema's `oms:index:getSyncTaskStatistics` names them. */
export const GET_SYNC_TASK_STATISTICS_ARGS = ownArguments(GET_SYNC_TASK_STATISTICS);

/** A time argument in epoch ms: a number as is, a string of digits as that number, any other string as a date. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string" || value.length > 64) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function checkStatisticsArgs(c: Checking): void {
  checkTaskId(c, `the id of an existing OMS sync task (1–${MAX_TASK_ID_CHARS} characters)`);
  const startTime = epochMs(c.news.startTime);
  const endTime = epochMs(c.news.endTime);
  for (const [key, ms] of [
    ["startTime", startTime],
    ["endTime", endTime],
  ] as const) {
    if (ms === undefined) {
      c.failures.push({
        property: key,
        reason: `${key} must be epoch milliseconds (e.g. 1767225600000) or a date such as 2027-01-01T00:00:00Z; got ${describe(c.news[key])}`,
      });
    }
  }
  if (startTime === undefined || endTime === undefined) return;
  const problem = statisticsQueryProblem({ dataType: c.news.dataType, startTime, endTime });
  if (problem) {
    const property = problem.startsWith("dataType")
      ? "dataType"
      : problem.startsWith("startTime")
        ? "startTime"
        : "endTime";
    c.failures.push({
      property,
      reason: property === "dataType" ? `${problem}; got ${describe(c.news.dataType)}` : problem,
    });
    return;
  }
  Object.assign(c.inputs, { dataType: c.news.dataType, startTime, endTime });
}

/** Both doors' `getSyncTaskStatistics`: the arguments checked (nothing sent when one is wrong), then one call. */
export async function taskStatistics(
  args: unknown,
  lookup?: ConfigLookup,
): Promise<Outcome<GetSyncTaskStatisticsResult>> {
  const call = checkedCall("getSyncTaskStatistics", args, GET_SYNC_TASK_STATISTICS_ARGS, lookup, checkStatisticsArgs);
  if (call.failures) return { failures: call.failures };
  const { syncTaskId, dataType, startTime, endTime } = call.inputs as {
    syncTaskId: string;
    dataType: StatisticsDataType;
    startTime: number;
    endTime: number;
  };
  const stats = await call.client.taskStatistics(syncTaskId, { dataType, startTime, endTime });
  return { result: { ...stats, startTime, endTime } };
}
