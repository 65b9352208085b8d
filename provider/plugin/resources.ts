// Which lifecycle serves a resource type: the same modules the dynamic resources' serialized providers load.
import type * as pulumi from "@pulumi/pulumi";
import * as taskLifecycle from "../core/sync-task/lifecycle";
import * as stateLifecycle from "../core/sync-task-state/lifecycle";
import * as eventLifecycle from "../core/sync-event/lifecycle";
import { SYNC_EVENT } from "./schema-event";
import { buildSchema, resourceKeys, SYNC_TASK, SYNC_TASK_STATE, type ResourceKeys } from "./schema";
import type { Bag } from "./values";

/** The calls a lifecycle answers, as both doors make them (the dynamic shims by these names). */
export interface Lifecycle {
  check(olds: unknown, news: Bag): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult>;
  create(props: Bag): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult>;
  remove(id: string, props: Bag): Promise<void>;
}

/** A resource type of the plugin: its lifecycle and what the schema says of its keys. */
export interface NativeResource {
  token: string;
  lifecycle: Lifecycle;
  keys: ResourceKeys;
}

const SCHEMA = buildSchema();
const LIFECYCLES: Record<string, Lifecycle> = {
  [SYNC_TASK]: taskLifecycle,
  [SYNC_TASK_STATE]: stateLifecycle,
  [SYNC_EVENT]: eventLifecycle,
};

/** Every resource type of the plugin, by token. */
export const RESOURCES: ReadonlyMap<string, NativeResource> = new Map(
  Object.keys(SCHEMA.resources).map((token) => [
    token,
    { token, lifecycle: LIFECYCLES[token], keys: resourceKeys(SCHEMA, token) },
  ]),
);

/**
 * The type token of a request: its `type` field, or the last part of its URN's type
 * (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`) for engines that leave the field empty.
 */
export function typeOf(request: { getType(): string; getUrn(): string }): string {
  if (request.getType()) return request.getType();
  const qualified = request.getUrn().split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** The resource a request is for. Throws naming the type when the plugin has no such resource. */
export function resourceOf(request: { getType(): string; getUrn(): string }): NativeResource {
  const token = typeOf(request);
  const resource = RESOURCES.get(token);
  if (!resource) {
    throw new Error(
      `the oms plugin has no resource type ${JSON.stringify(token)}; it has ${[...RESOURCES.keys()].join(", ")}`,
    );
  }
  return resource;
}
