import * as pulumi from "@pulumi/pulumi";
import type { SyncTaskCredentialsArgs } from "./args";
import type { DesiredState } from "../core/types";

/** Outputs that hold keys or their digest: the engine stores them only as secrets. */
const SECRET_OUTPUTS = ["credentials", "startKeysDigest"];

/**
 * What both resources are: a dynamic resource for one OMS sync task, with its running state, connection settings
 * and secret start keys as outputs. The per-resource `credentials` are wrapped as a secret here, once.
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
    name: string,
    props: Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
    type: "SyncTask" | "SyncTaskState",
  ) {
    const { credentials } = props;
    super(
      provider,
      name,
      { ...props, credentials: credentials === undefined ? undefined : pulumi.secret(credentials) },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: SECRET_OUTPUTS }),
      "oms",
      type,
    );
  }
}
