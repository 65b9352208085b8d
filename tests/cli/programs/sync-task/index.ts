import * as pulumi from "@pulumi/pulumi";
import { SyncTask } from "pulumi-oms-sync";

// A SyncTask whose every choice the CLI tests make through stack config: the buckets, the state, a task to adopt,
// the wait, protect and retainOnDelete, and a task to look up with SyncTask.get.
const config = new pulumi.Config();
const state = config.get("state") ?? "started";
if (state !== "started" && state !== "paused") throw new pulumi.RunError(`state must be started or paused`);

const task = new SyncTask(
  "logs",
  {
    srcCloudType: "AWS",
    srcRegion: "us-east-1",
    srcBucket: config.require("srcBucket"),
    dstRegion: "cn-north-4",
    dstBucket: config.require("dstBucket"),
    state,
    syncTaskId: config.get("adopt"),
    timeoutSeconds: config.getNumber("timeoutSeconds"),
  },
  { protect: config.getBoolean("protect") ?? false, retainOnDelete: config.getBoolean("retainOnDelete") ?? false },
);

export const syncTaskId = task.syncTaskId;
export const status = task.status;

const lookUp = config.get("getId");
export const lookedUpStatus = lookUp ? SyncTask.get("looked-up", lookUp).status : undefined;
