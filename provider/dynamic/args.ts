// The public inputs both resources take: where the task lives, how to reach OMS, and the keys to start it.
import type * as pulumi from "@pulumi/pulumi";

/** Start-call keys for one resource, overriding the `oms:srcAk`… config keys. Stored only as a secret. */
export interface SyncTaskCredentialsArgs {
  srcAk: pulumi.Input<string>;
  srcSk: pulumi.Input<string>;
  dstAk: pulumi.Input<string>;
  dstSk: pulumi.Input<string>;
  sourceCdnAuthenticationKey?: pulumi.Input<string>;
}

/** Where a task lives, how to reach OMS, and the keys to start it: the same for both resources. */
export interface SyncTaskConnectionArgs {
  /** Project id; default config `oms:projectId`, then env `HW_PROJECT_ID`. A change replaces the resource. */
  projectId?: pulumi.Input<string>;
  /** Region (cn-north-4, cn-east-3, cn-southwest-2); default config `oms:region`, then env `HW_REGION_NAME`. */
  region?: pulumi.Input<string>;
  /** OMS endpoint URL; default config `oms:endpoint`, else `https://oms.{region}.myhuaweicloud.com`. */
  endpoint?: pulumi.Input<string>;
  /** Start keys for this task; default the `oms:srcAk`, `oms:srcSk`, `oms:dstAk`, `oms:dstSk` config keys. */
  credentials?: pulumi.Input<SyncTaskCredentialsArgs>;
  /** How long an operation waits for OMS (e.g. to show the new status), in seconds. Default 300. */
  timeoutSeconds?: pulumi.Input<number>;
}
