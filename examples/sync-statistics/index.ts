import * as pulumi from "@pulumi/pulumi";
import { getSyncTasks, getSyncTaskStatistics, SyncEvent } from "pulumi-oms-sync";

// Prints the objects each task of the project copied in the last day, and exports them by task id. With
// `syncNow` set (object names, comma-separated), also asks OMS to synchronize those objects of `syncTaskId` now.
const config = new pulumi.Config();
const DAY_MS = 24 * 60 * 60 * 1000;

async function lastDay(): Promise<Record<string, number>> {
  const endTime = Date.now();
  const { tasks } = await getSyncTasks();
  const copied: Record<string, number> = {};
  for (const task of tasks) {
    const { sum } = await getSyncTaskStatistics({
      syncTaskId: task.syncTaskId,
      dataType: "SUCCESS",
      startTime: endTime - DAY_MS,
      endTime,
    });
    console.log(
      `${task.syncTaskId} (${task.srcBucket} -> ${task.dstBucket}): ${sum} objects synchronized in the last day`,
    );
    copied[task.syncTaskId] = sum;
  }
  return copied;
}

export const successfulObjects = lastDay();

const syncNow = config.get("syncNow");
export const syncEventSentAt = syncNow
  ? new SyncEvent("sync-now", {
      syncTaskId: config.require("syncTaskId"),
      objectKeys: syncNow.split(",").map((key) => key.trim()),
    }).sentAt
  : undefined;
