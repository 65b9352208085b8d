// The SyncTaskState lifecycle: what check, diff, create, read, update and delete do for the running state of a task
// someone else created. No HTTP here; the OMS client does that. The serialized provider loads this module by name
// from the installed package.
import type * as pulumi from "@pulumi/pulumi";
import type { OmsSyncTask } from "../../client/types";
import { compact } from "../../utils/compact";
import {
  checkKmsKeys,
  checkShared,
  checkTaskId,
  KMS_INPUT_KEYS,
  kmsOf,
  runCheck,
  SHARED_INPUT_KEYS,
} from "../shared/check";
import { changed } from "../shared/values";
import { clientFor, isGone, learningCredentials, storedConnection } from "../shared/provider-process";
import { converge, updateRunningState, updatesRunningState } from "../shared/converge";
import { currentKeys, digestToRecord, DIGEST_OUTPUT } from "../shared/start-keys";
import { surface } from "../shared/plugin-errors";
import { DEFAULT_TIMEOUT_SECONDS, STATUS_FOR, type DesiredState } from "../shared/types";
import { type SyncTaskStateInputs, type SyncTaskStateOutputs } from "./types";

export { configure } from "../shared/provider-process";

const RESOURCE = "SyncTaskState";
const INPUT_KEYS = ["syncTaskId", ...SHARED_INPUT_KEYS, ...KMS_INPUT_KEYS];
const OUTPUT_KEYS = ["status", "lastStartTime", DIGEST_OUTPUT];
const REPLACE_KEYS = ["syncTaskId", "projectId", "region"] as const;

/** Validates inputs and fills defaults from config. Never throws; unknown preview values are left alone. */
export const check = learningCredentials(async function check(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  return runCheck(news, { name: RESOURCE, inputKeys: INPUT_KEYS, outputKeys: OUTPUT_KEYS }, (c) => {
    checkTaskId(c, "the id of an existing OMS sync task");
    checkShared(c);
    checkKmsKeys(c);
  });
});

/**
 * `state`, `endpoint`, `timeoutSeconds`, `credentials` and the KMS key ids update; `syncTaskId`, `projectId`,
 * `region` replace. Start keys rotated in config (or not yet recorded) are an update too.
 */
export const diff = learningCredentials(async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const replaces = REPLACE_KEYS.filter((key) => changed(olds, news, key));
  const kmsChanged = KMS_INPUT_KEYS.some((key) => changed(olds, news, key));
  return {
    changes: replaces.length > 0 || kmsChanged || updatesRunningState(olds, news),
    replaces,
    deleteBeforeReplace: false,
  };
});

function outputsFrom(
  inputs: SyncTaskStateInputs,
  task: Pick<OmsSyncTask, "status" | "lastStartTime">,
): SyncTaskStateOutputs {
  const outs: SyncTaskStateOutputs = { ...inputs, status: task.status };
  if (task.lastStartTime !== undefined) outs.lastStartTime = new Date(task.lastStartTime).toISOString();
  return compact(outs);
}

/** The inputs part of stored properties (drops outputs and the serialized provider). */
function inputsOf(props: Record<string, unknown>): SyncTaskStateInputs {
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs as unknown as SyncTaskStateInputs;
}

export const create = learningCredentials(async function create(
  props: Record<string, unknown>,
): Promise<pulumi.dynamic.CreateResult> {
  try {
    const inputs = inputsOf(props);
    const task = await converge(clientFor(inputs, inputs.syncTaskId), inputs.syncTaskId, inputs.state, {
      timeoutSeconds: inputs.timeoutSeconds,
      deadline: Date.now() + inputs.timeoutSeconds * 1000,
      credentials: inputs.credentials,
      kms: kmsOf(inputs),
    });
    const digest = digestToRecord(undefined, currentKeys(inputs.credentials));
    return { id: inputs.syncTaskId, outs: compact({ ...outputsFrom(inputs, task), [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

export const update = learningCredentials(async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  try {
    const inputs = inputsOf(news);
    const { task, digest } = await updateRunningState(
      () => clientFor(inputs, inputs.syncTaskId),
      inputs.syncTaskId,
      { ...inputs, kms: kmsOf(inputs) },
      olds,
    );
    const shown = task ?? {
      status: String(olds.status),
      lastStartTime: typeof olds.lastStartTime === "string" ? Date.parse(olds.lastStartTime) : undefined,
    };
    return { outs: compact({ ...outputsFrom(inputs, shown), [DIGEST_OUTPUT]: digest }) };
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/** Refresh: one GET. State follows what OMS reports; a task gone from OMS returns an empty id. */
export const read = learningCredentials(async function read(
  id: string,
  props: Record<string, unknown>,
): Promise<pulumi.dynamic.ReadResult> {
  try {
    const stored = inputsOf(props ?? {});
    const inputs: SyncTaskStateInputs = {
      ...stored,
      ...storedConnection(props ?? {}),
      syncTaskId: stored.syncTaskId ?? id,
      timeoutSeconds: stored.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    };
    let task: OmsSyncTask;
    try {
      task = await clientFor(inputs, inputs.syncTaskId).showTask(inputs.syncTaskId, {
        deadline: Date.now() + inputs.timeoutSeconds * 1000,
      });
    } catch (error) {
      if (isGone(error)) return { id: "" };
      throw error;
    }
    const state: DesiredState = task.status === STATUS_FOR.started ? "started" : "paused";
    const refreshed = compact({ ...inputs, state });
    // OMS never shows keys: the digest of the ones last sent carries over.
    const outs = compact({ ...outputsFrom(refreshed, task), [DIGEST_OUTPUT]: props?.[DIGEST_OUTPUT] });
    return { id: inputs.syncTaskId, props: outs, inputs: refreshed };
  } catch (error) {
    return surface(error, RESOURCE);
  }
});

/** Destroy leaves the task exactly as it is: no request is sent. */
export async function remove(): Promise<void> {
  return;
}
