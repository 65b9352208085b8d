import * as pulumi from "@pulumi/pulumi";
import { syncEventProvider } from "./sync-event-provider";
import { SYNC_EVENT } from "../core/sync-event/descriptor";
import { registered, registering, type SameKeys } from "./task-resource";

/** Inputs of a {@link SyncEvent}. */
export interface SyncEventArgs {
  /** Id of an existing OMS sync task, synchronizing (OMS refuses events for a paused task). A change sends anew. */
  syncTaskId: pulumi.Input<string>;
  /** 1–10 object names (keys) to synchronize now, given plain: they are URL-encoded for OMS. A change sends anew. */
  objectKeys: pulumi.Input<pulumi.Input<string>[]>;
  /** Any values; a change sends the same event again (a new resource). */
  triggers?: pulumi.Input<unknown[]>;
  /** Project id; default config `oms:projectId`, then env `HW_PROJECT_ID`. A change sends anew. */
  projectId?: pulumi.Input<string>;
  /** Region; default config `oms:region`, then env `HW_REGION_NAME`. A change sends anew. */
  region?: pulumi.Input<string>;
  /** OMS endpoint URL; default config `oms:endpoint`. A change makes no call. */
  endpoint?: pulumi.Input<string>;
}

/**
 * A request that OMS synchronize named objects of a task now (`POST …/events`): `pulumi up` sends it once when the
 * resource is created, and again only when `objectKeys`, `triggers` or the task change (a replace). Destroying it
 * makes no call: OMS cannot take an event back. API authentication comes from `oms:*` config; no start key is used.
 */
export class SyncEvent extends pulumi.dynamic.Resource {
  declare readonly syncTaskId: pulumi.Output<string>;
  declare readonly objectKeys: pulumi.Output<string[]>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  /** The HTTP status OMS answered (2xx). */
  declare readonly status: pulumi.Output<number>;
  /** The gateway's request id, for a support ticket. */
  declare readonly requestId: pulumi.Output<string | undefined>;
  /** When the request was sent (ISO 8601). */
  declare readonly sentAt: pulumi.Output<string>;

  constructor(name: string, args: SyncEventArgs, opts?: pulumi.CustomResourceOptions) {
    super(syncEventProvider, name, registered(SYNC_EVENT, args), registering(SYNC_EVENT, opts), "oms", SYNC_EVENT.name);
  }
}

/** Every input of the descriptor is in {@link SyncEventArgs}, and nothing else. */
export const ARGS_MATCH: SameKeys<keyof SyncEventArgs, keyof typeof SYNC_EVENT.inputs> = true;
