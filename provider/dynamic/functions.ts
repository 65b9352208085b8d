// The functions as a Node.js program calls them: with the stack's `oms:*` config it runs with (then the environment),
// a wrong argument thrown as a `CONFIG_ERROR`. The plugin serves the same calls (core/functions) to other languages.
import * as pulumi from "@pulumi/pulumi";
import { stackLookup, type ConfigLookup } from "../core/config";
import type { Outcome } from "../core/functions/call";
import {
  taskStatistics,
  type GetSyncTaskStatisticsArgs,
  type GetSyncTaskStatisticsResult,
} from "../core/functions/get-sync-task-statistics";
import { listSyncTasks, type GetSyncTasksArgs, type GetSyncTasksResult } from "../core/functions/get-sync-tasks";
import { OmsError } from "../errors/oms-error";

/** The settings a Node.js program's function reads: the stack's `oms:*` config, then the environment. */
export function programLookup(): ConfigLookup {
  return stackLookup((key) => pulumi.runtime.getConfig(key));
}

/** A Node.js function's result, or a `CONFIG_ERROR` naming every wrong argument and how to fix it. */
export function resultOf<T>(name: string, outcome: Outcome<T>): T {
  if (outcome.failures) {
    throw new OmsError({
      code: "CONFIG_ERROR",
      operation: "configure",
      reason: `${name}: ${outcome.failures.map((f) => f.reason).join("; ")}`,
    });
  }
  return outcome.result;
}

/**
 * Lists the project's sync tasks (every page, up to OMS's last offset), optionally only those with `status`. Runs in
 * the program, during preview too, with the stack's `oms:*` config. Throws `OmsError`: `CONFIG_ERROR` naming each
 * wrong argument (nothing sent), or the list call's failure.
 */
export async function getSyncTasks(args: GetSyncTasksArgs = {}): Promise<GetSyncTasksResult> {
  return resultOf("getSyncTasks", await listSyncTasks(args, programLookup()));
}

/**
 * Reads one statistics series of a task between two times: its `{time, value}` points and their sum (e.g. the
 * objects synchronized yesterday: `dataType: "SUCCESS"`). Runs in the program with the stack's `oms:*` config.
 * Throws `OmsError`: `CONFIG_ERROR` naming each wrong argument (an unknown data type, end before start, a range over
 * 1,000 hours; nothing sent), or the statistics call's failure.
 */
export async function getSyncTaskStatistics(args: GetSyncTaskStatisticsArgs): Promise<GetSyncTaskStatisticsResult> {
  return resultOf("getSyncTaskStatistics", await taskStatistics(args, programLookup()));
}
