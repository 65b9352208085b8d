/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";

// What Pulumi serializes into every SyncEvent's state: each method loads the lifecycle from the installed package by
// name when it runs, so the state holds no code of ours and no credential. Keep it that way.

/** The one dynamic provider every {@link SyncEvent} uses; it loads `pulumi-oms-sync` when the engine calls it. */
export const syncEventProvider: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-oms-sync").eventLifecycle.configure(...a),
  check: (...a) => require("pulumi-oms-sync").eventLifecycle.check(...a),
  diff: (...a) => require("pulumi-oms-sync").eventLifecycle.diff(...a),
  create: (...a) => require("pulumi-oms-sync").eventLifecycle.create(...a),
  read: (...a) => require("pulumi-oms-sync").eventLifecycle.read(...a),
  update: (...a) => require("pulumi-oms-sync").eventLifecycle.update(...a),
  delete: () => require("pulumi-oms-sync").eventLifecycle.remove(),
};
