import * as pulumi from "@pulumi/pulumi";
import { SyncTask, SyncTaskState } from "pulumi-oms-sync";

// A program for the policy pack: with `twoManagers`, two SyncTaskStates manage one task (a mandatory policy);
// without, one SyncTask leaves out srcCloudType (advisory only).
const config = new pulumi.Config();
const taskId = config.require("syncTaskId");
if (config.getBoolean("twoManagers")) {
  new SyncTaskState("mirror", { syncTaskId: taskId, state: "started" });
  new SyncTaskState("mirror-too", { syncTaskId: taskId, state: "paused" });
} else {
  new SyncTask(
    "images",
    { srcRegion: "cn-east-3", srcBucket: "images", dstRegion: "cn-north-4", dstBucket: "images-copy" },
    { protect: true },
  );
}
