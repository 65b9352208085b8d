// `pulumi import` is a Read with only an id: the lifecycle reads the task as a refresh of nothing would, and this
// turns its answer into what the engine records and writes into the generated program.
import { readConfigString } from "../core/config";
import { configSource } from "../core/settings";
import { currentKeys, digestToRecord, DIGEST_OUTPUT } from "../core/start-keys";
import { DEFAULT_TIMEOUT_SECONDS } from "../core/types";
import type { Bag } from "./values";

const CONNECTION_KEYS = ["projectId", "region", "endpoint"] as const;

/** Whether a Read is an import: the engine sends neither stored outputs nor stored inputs. */
export function isImport(properties: Bag, inputs: Bag): boolean {
  return Object.keys(properties).length === 0 && Object.keys(inputs).length === 0;
}

/**
 * An imported resource's outputs and inputs.
 * - Outputs record the digest of the start keys a start would send now, as adopting a task does: nothing says which
 *   keys OMS runs the task with, and without a digest the first preview would show an update for it.
 * - Inputs leave out what the program gets anyway: a connection setting equal to the provider's (so the generated
 *   program follows the stack config, not this machine's endpoint) and the default timeout.
 */
export function imported(outputs: Bag, inputs: Bag): { outputs: Bag; inputs: Bag } {
  const recorded = outputs[DIGEST_OUTPUT] ?? digestToRecord(undefined, currentKeys(inputs.credentials));
  const program: Bag = { ...inputs };
  for (const key of CONNECTION_KEYS) {
    if (program[key] !== undefined && program[key] === readConfigString(configSource(), key, key).value) {
      delete program[key];
    }
  }
  if (program.timeoutSeconds === DEFAULT_TIMEOUT_SECONDS) delete program.timeoutSeconds;
  return { outputs: { ...outputs, [DIGEST_OUTPUT]: recorded }, inputs: program };
}
