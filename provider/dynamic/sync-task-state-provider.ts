/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";

// This object is what Pulumi serializes into every SyncTaskState's state. Each method only loads the lifecycle from
// the installed package by name, at the time it runs: the serialized text stays small, holds no credential (config
// arrives through `configure`), and a package upgrade takes effect for existing resources. Keep it that way: any
// value or local function referenced here would be copied into state.

/**
 * The one dynamic provider every {@link SyncTaskState} uses. Its methods load `pulumi-oms-sync` from the program's
 * `node_modules` when the engine calls them.
 */
export const syncTaskStateProvider: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-oms-sync").lifecycle.configure(...a),
  check: (...a) => require("pulumi-oms-sync").lifecycle.check(...a),
  diff: (...a) => require("pulumi-oms-sync").lifecycle.diff(...a),
  create: (...a) => require("pulumi-oms-sync").lifecycle.create(...a),
  read: (...a) => require("pulumi-oms-sync").lifecycle.read(...a),
  update: (...a) => require("pulumi-oms-sync").lifecycle.update(...a),
  delete: () => require("pulumi-oms-sync").lifecycle.remove(),
};
