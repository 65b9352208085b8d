import * as pulumi from "@pulumi/pulumi";
import { SyncTaskState } from "pulumi-oms-sync";

// oms:* config (endpoint, region, projectId, API and start keys) is read by the provider itself, never here.
const config = new pulumi.Config();
const state = config.get("state") ?? "started";
if (state !== "started" && state !== "paused") {
  throw new pulumi.RunError(`config ${pulumi.getProject()}:state must be "started" or "paused"; got "${state}"`);
}

const mirror = new SyncTaskState("nightly-mirror", {
  syncTaskId: config.require("syncTaskId"),
  state,
});

export const status = mirror.status;
export const lastStartTime = mirror.lastStartTime;
