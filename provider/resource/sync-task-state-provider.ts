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
  configure: (req) => require("pulumi-oms-sync").syncTaskStateLifecycle.configure(req),
  check: (olds, news) => require("pulumi-oms-sync").syncTaskStateLifecycle.check(olds, news),
  diff: (id, olds, news) => require("pulumi-oms-sync").syncTaskStateLifecycle.diff(id, olds, news),
  create: (inputs) => require("pulumi-oms-sync").syncTaskStateLifecycle.create(inputs),
  read: (id, props) => require("pulumi-oms-sync").syncTaskStateLifecycle.read(id, props),
  update: (id, olds, news) => require("pulumi-oms-sync").syncTaskStateLifecycle.update(id, olds, news),
  delete: () => require("pulumi-oms-sync").syncTaskStateLifecycle.remove(),
};
