/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";

// Serialized into every SyncTask's state, like `syncTaskStateProvider` (see there): each method only loads the
// lifecycle from the installed package by name when it runs. Nothing else may be referenced here.

/** The one dynamic provider every {@link SyncTask} uses; it loads `pulumi-oms-sync` when the engine calls it. */
export const syncTaskProvider: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-oms-sync").taskLifecycle.configure(...a),
  check: (...a) => require("pulumi-oms-sync").taskLifecycle.check(...a),
  diff: (...a) => require("pulumi-oms-sync").taskLifecycle.diff(...a),
  create: (...a) => require("pulumi-oms-sync").taskLifecycle.create(...a),
  read: (...a) => require("pulumi-oms-sync").taskLifecycle.read(...a),
  update: (...a) => require("pulumi-oms-sync").taskLifecycle.update(...a),
  delete: (...a) => require("pulumi-oms-sync").taskLifecycle.remove(...a),
};
