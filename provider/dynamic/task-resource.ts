import * as pulumi from "@pulumi/pulumi";
import { inputKeys, outputKeys, secretKeys, type ResourceDescriptor } from "../core/descriptor";
import type { SyncTaskCredentialsArgs } from "./args";
import type { DesiredState } from "../core/types";

/**
 * The properties a dynamic resource registers, from its descriptor: what the program gave (so that `check` names any
 * key that is no input), its secret inputs wrapped as secrets, and the other inputs and every output as properties
 * (an output is unknown until applied).
 */
export function registered(d: ResourceDescriptor, args: object): Record<string, unknown> {
  const props: Record<string, unknown> = { ...args };
  for (const key of inputKeys(d)) {
    if (d.inputs[key].secret && props[key] !== undefined) props[key] = pulumi.secret(props[key]);
  }
  // Every input and output is a property of the resource object, set or not.
  for (const key of [...inputKeys(d), ...outputKeys(d)]) if (!(key in props)) props[key] = undefined;
  return props;
}

/** The same keys, or a compile error naming the odd one: a public Args type against its descriptor's inputs. */
export type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : [Exclude<A, B>, Exclude<B, A>];

/** The options of a dynamic resource: its secret outputs stored only as secrets, whatever the program says. */
export function registering(
  d: ResourceDescriptor,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: secretKeys(d) });
}

/**
 * What both task resources are: a dynamic resource for one OMS sync task, with its running state, connection settings
 * and secret start keys as outputs.
 */
export abstract class TaskResource extends pulumi.dynamic.Resource {
  /** The sync task id (also the resource id). */
  declare readonly syncTaskId: pulumi.Output<string>;
  declare readonly state: pulumi.Output<DesiredState>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  declare readonly timeoutSeconds: pulumi.Output<number>;
  /** The per-resource start keys, when given; always a secret. */
  declare readonly credentials: pulumi.Output<SyncTaskCredentialsArgs | undefined>;
  /** `SYNCHRONIZING` or `STOPPED`, as OMS last reported it. */
  declare readonly status: pulumi.Output<string>;
  /** When OMS last started the task (ISO 8601), if it reports one. */
  declare readonly lastStartTime: pulumi.Output<string | undefined>;
  /** A salted digest of the start keys last sent, so that a rotation shows in a preview. Always a secret. */
  declare readonly startKeysDigest: pulumi.Output<string | undefined>;

  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    descriptor: ResourceDescriptor,
    name: string,
    args: object,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    // The engine names the type `pulumi-nodejs:dynamic/oms:<name>` (`dynamicToken`).
    super(provider, name, registered(descriptor, args), registering(descriptor, opts), "oms", descriptor.name);
  }
}
