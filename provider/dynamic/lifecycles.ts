// The lifecycles as Pulumi's dynamic-provider plugin calls them through the serialized shims: stack config through
// `configure`, and the serialized provider (`__provider`) kept out of the core. The plugin stores `__provider` beside
// every result by itself, except in a partial failure's properties, which it records as given: there it is added.
import type * as pulumi from "@pulumi/pulumi";
import { stackLookup } from "../core/config";
import { RecordedFailure, type Bag, type Lifecycle } from "../core/lifecycle";
import { useConfig } from "../core/settings";
import * as eventCore from "../core/sync-event/lifecycle";
import * as taskCore from "../core/sync-task/lifecycle";
import * as stateCore from "../core/sync-task-state/lifecycle";

/** The key Pulumi stores the serialized provider under, in every property bag of a dynamic resource. */
const PROVIDER_KEY = "__provider";

/** What the serialized shims call by name (state written by 0.1.0 calls these names too). */
export interface DynamicLifecycle extends Lifecycle {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  /** The SyncTaskState and SyncEvent shims call it without arguments: their delete makes no call. */
  remove(id?: string, props?: Bag): Promise<void>;
}

/** `bag` without `__provider`; a bag that cannot be read as plain values goes as it is, for the check to refuse. */
function withoutProvider(bag: Bag): Bag {
  try {
    if (!bag || typeof bag !== "object" || !(PROVIDER_KEY in bag)) return bag;
    const { [PROVIDER_KEY]: _provider, ...rest } = bag;
    return rest;
  } catch {
    return bag;
  }
}

/** Runs `work`; a partial failure's properties get the serialized provider of `bag`, so the next operation finds it. */
async function keepingProvider<T>(bag: Bag, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RecordedFailure) || bag?.[PROVIDER_KEY] === undefined) throw error;
    throw new RecordedFailure(error, error.id, { ...error.properties, [PROVIDER_KEY]: bag[PROVIDER_KEY] });
  }
}

/** A core lifecycle as the dynamic door serves it. */
function dynamicLifecycle(core: Lifecycle): DynamicLifecycle {
  return {
    configure: async (req) => useConfig(stackLookup((key) => req.config.get(key))),
    check: (olds, news) => core.check(olds, withoutProvider(news)),
    diff: (id, olds, news) => core.diff(id, withoutProvider(olds), withoutProvider(news)),
    create: (props) => keepingProvider(props, () => core.create(withoutProvider(props))),
    read: (id, props) => core.read(id, withoutProvider(props)),
    update: (id, olds, news) =>
      keepingProvider(news, () => core.update(id, withoutProvider(olds), withoutProvider(news))),
    remove: (id, props) => core.remove(id as string, withoutProvider(props as Bag)),
  };
}

/** SyncTaskState's lifecycle, as `require("pulumi-oms-sync").lifecycle` (stored in state). */
export const stateLifecycle = dynamicLifecycle(stateCore);
/** SyncTask's lifecycle, as `require("pulumi-oms-sync").taskLifecycle` (stored in state). */
export const taskLifecycle = dynamicLifecycle(taskCore);
/** SyncEvent's lifecycle, as `require("pulumi-oms-sync").eventLifecycle` (stored in state). */
export const eventLifecycle = dynamicLifecycle(eventCore);
