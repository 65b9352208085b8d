import * as pulumi from "@pulumi/pulumi";
import { SyncTask } from "pulumi-oms-sync";

// oms:* config (endpoint, region, projectId, API and bucket keys) is read by the provider itself, never here.
const config = new pulumi.Config();
const state = config.get("state") ?? "started";
if (state !== "started" && state !== "paused") {
  throw new pulumi.RunError(`config ${pulumi.getProject()}:state must be "started" or "paused"; got "${state}"`);
}

const logs = new SyncTask("logs", {
  srcCloudType: config.get("srcCloudType") ?? "AWS",
  srcRegion: config.require("srcRegion"),
  srcBucket: config.require("srcBucket"),
  dstRegion: config.require("dstRegion"),
  dstBucket: config.require("dstBucket"),
  state,
});

export const syncTaskId = logs.syncTaskId;
export const status = logs.status;
