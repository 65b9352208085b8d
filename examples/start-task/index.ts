import * as pulumi from "@pulumi/pulumi";
import { SyncTaskState, type DesiredState } from "pulumi-oms-sync";

// oms:* config (endpoint, region, projectId, API and start keys) is read by the provider itself, never here.
const config = new pulumi.Config();

const mirror = new SyncTaskState("nightly-mirror", {
  syncTaskId: config.require("syncTaskId"),
  state: (config.get("state") ?? "started") as DesiredState,
});

export const status = mirror.status;
export const lastStartTime = mirror.lastStartTime;
