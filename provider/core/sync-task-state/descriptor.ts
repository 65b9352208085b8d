// SyncTaskState, described once: the schema, both doors and the lifecycle take its inputs, outputs, secrets and
// replace rules from here.
import { MAX_TASK_ID_CHARS } from "../../client/limits";
import type { ResourceDescriptor } from "../descriptor";
import { ALWAYS_SET, CONNECTION, DIGEST, KMS_STATE, replacing, RUNNING_OUTPUTS, STATE, string } from "../properties";

export const SYNC_TASK_STATE = {
  name: "SyncTaskState",
  description:
    "The running state of an existing OMS sync task: `pulumi up` starts or pauses it until OMS shows `SYNCHRONIZING` or `STOPPED`. Destroying the resource leaves the task exactly as it is (no API call). The resource id is the sync task id; `pulumi import oms:index:SyncTaskState <name> <task id>` imports one.",
  inputs: {
    syncTaskId: replacing(
      `Id of an existing OMS sync task (1–${MAX_TASK_ID_CHARS} chars, no \`/\`, \`\\\`, whitespace). A change replaces the resource.`,
    ),
    state: string(STATE),
    ...CONNECTION,
    srcKmsKeyId: string(KMS_STATE),
    dstKmsKeyId: string("As `srcKmsKeyId`, for the destination keys."),
    sourceCdnKmsKeyId: string("As `srcKmsKeyId`, for the CDN source's authentication key."),
  },
  requiredInputs: ["syncTaskId", "state"],
  outputs: { ...RUNNING_OUTPUTS, ...DIGEST },
  alwaysSet: ALWAYS_SET,
  deleteBeforeReplace: false,
} satisfies ResourceDescriptor;
