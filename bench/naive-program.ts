// The program a user of the naive baseline writes: every credential read in the program and passed as an input.
import * as pulumi from "@pulumi/pulumi";
import { NaiveSyncTaskState } from "./naive-provider";

const config = new pulumi.Config();
new NaiveSyncTaskState("naive", {
  endpoint: config.require("endpoint"),
  projectId: config.require("projectId"),
  syncTaskId: config.require("syncTaskId"),
  state: config.require("state"),
  token: config.require("token"),
  srcAk: config.require("srcAk"),
  srcSk: config.require("srcSk"),
  dstAk: config.require("dstAk"),
  dstSk: config.require("dstSk"),
});
