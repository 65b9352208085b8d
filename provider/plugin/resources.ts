// Which lifecycle serves a resource type: the same modules the dynamic resources' serialized providers load.
import * as taskLifecycle from "../core/sync-task/lifecycle";
import * as stateLifecycle from "../core/sync-task-state/lifecycle";
import * as eventLifecycle from "../core/sync-event/lifecycle";
import { resourceKeys, SYNC_EVENT, SYNC_TASK, SYNC_TASK_STATE, type ResourceKeys } from "./schema";
import type { Lifecycle } from "../core/lifecycle";

/** A resource type of the plugin: its lifecycle and what the schema says of its keys. */
export interface NativeResource {
  token: string;
  lifecycle: Lifecycle;
  keys: ResourceKeys;
}

const LIFECYCLES: Record<string, Lifecycle> = {
  [SYNC_TASK]: taskLifecycle,
  [SYNC_TASK_STATE]: stateLifecycle,
  [SYNC_EVENT]: eventLifecycle,
};

/** Every resource type of the plugin, by token. */
export const RESOURCES: ReadonlyMap<string, NativeResource> = new Map(
  Object.entries(LIFECYCLES).map(([token, lifecycle]) => [token, { token, lifecycle, keys: resourceKeys(token) }]),
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
