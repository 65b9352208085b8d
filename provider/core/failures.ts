// How failures leave a lifecycle method through Pulumi's plugin: with the stack config's names in their hints, a
// stable code instead of a stack, and (after a create) the id the engine must record.
import { amend, hintFor, NOT_OMS_404, OmsError } from "../errors/oms-error";
import { PartialChange, recordedNote } from "./converge";
import { redact, scanPrefix } from "../errors/redact";

/**
 * The client's hints say what to check in OMS's terms; a resource's user sets those things in stack config or
 * inputs. Keyed by `error_code`, used only where the error still carries the client's hint for that code.
 */
const CONFIG_HINTS: Record<string, string> = {
  "OMS.1014":
    "Check the source access key pair (oms:srcAk / oms:srcSk, or credentials) and that it may list and read the source bucket",
  "OMS.1020":
    "Check the destination access key pair (oms:dstAk / oms:dstSk, or credentials) and that it may write to the destination bucket",
  "OMS.1032": "This task's CDN source needs oms:sourceCdnAuthenticationKey (or credentials.sourceCdnAuthenticationKey)",
  "OMS.0068": "Check the API credentials (oms:token): the token is invalid or expired",
  "OMS.1005": "Check the API credentials (oms:accessKey / oms:secretKey, or oms:token)",
  "APIG.0301": "Check the API credentials (oms:accessKey / oms:secretKey, or oms:token)",
  "APIG.0307": "Check the API credentials (oms:token): the token is invalid or expired",
  "APIG.0303":
    "Check the API credentials (oms:accessKey / oms:secretKey / oms:securityToken) and that this machine's clock is within 15 minutes of UTC",
  "OMS.0070": "The task has completed; OMS cannot start or stop it. Remove it from the program or recreate the task",
  "OMS.0054": "Check syncTaskId: OMS does not know this task in this project and region",
  "OMS.1009": "Check syncTaskId, projectId and region: the task was not found",
  "OMS.0064": "OMS rejected a request parameter; check syncTaskId and projectId",
  "OMS.0001": "OMS rejected a request parameter; check syncTaskId and projectId",
  "OMS.0002": "OMS rejected a request parameter's format; check syncTaskId and projectId",
  "OMS.1004": "A required parameter was missing; check the start keys (oms:srcAk, oms:srcSk, oms:dstAk, oms:dstSk)",
  "OMS.1007": "A required parameter was missing; check the start keys (oms:srcAk, oms:srcSk, oms:dstAk, oms:dstSk)",
};

/** `error` with its hint in the stack config's terms, when it still carries the client's generic one. */
export function withConfigHint(error: OmsError): OmsError {
  const code = error.errorCode;
  // Compared with the code's own hint: an operation's hint (a create's "a field of the task definition") stays.
  if (code && CONFIG_HINTS[code] && error.hint === hintFor(code, error.status)) {
    return amend(error, { hint: CONFIG_HINTS[code] });
  }
  if (error.hint?.endsWith(NOT_OMS_404)) {
    return amend(error, {
      hint: error.hint.replace(NOT_OMS_404, "it may not be OMS: check the endpoint (oms:endpoint) and region"),
    });
  }
  return error;
}

/**
 * Rethrows `error` for the plugin, which prints a stack for some methods: an `OmsError` shows its stable code
 * instead; anything else (a bug) becomes one redacted line.
 */
export function surface(error: unknown, resource: string): never {
  if (error instanceof OmsError) {
    const told = withConfigHint(error);
    Object.defineProperty(told, "stack", { value: told.code, configurable: true });
    throw told;
  }
  const plain = new Error(
    `${resource} failed unexpectedly: ${redact(scanPrefix(error instanceof Error ? error.message : String(error)))}`,
  );
  Object.defineProperty(plain, "stack", { value: "UNEXPECTED", configurable: true });
  throw plain;
}

/**
 * A failure after the remote object exists. Pulumi's plugin packs an error that carries `id`, `properties` and
 * `reasons` as `ErrorResourceInitFailed`, and the engine records the resource under that id, so the next `up`
 * updates it instead of creating another.
 */
export function initFailure(error: unknown, resource: string, id: string, properties: Record<string, unknown>): never {
  try {
    surface(error, resource);
  } catch (surfaced) {
    Object.assign(surfaced as Error, { id, properties, reasons: [(surfaced as Error).message] });
    throw surfaced;
  }
}

/** `error` with one more sentence of hint. */
export function withNote(error: OmsError, sentence: string): OmsError {
  return amend(error, { hint: [error.hint, sentence].filter(Boolean).join(". ") });
}

/**
 * Rethrows a failure of an operation that may have sent a start or stop. A {@link PartialChange} becomes a partial
 * failure recording `properties(recorded)` under `id` (the engine keeps them, on update as on create), with a
 * sentence on what was recorded; anything else goes as {@link surface} has it.
 */
export function surfaceRecording(
  error: unknown,
  resource: string,
  id: string,
  properties: (recorded: PartialChange["recorded"]) => Record<string, unknown>,
): never {
  if (!(error instanceof PartialChange)) return surface(error, resource);
  const told =
    error.failure instanceof OmsError
      ? withNote(withConfigHint(error.failure), recordedNote(error.recorded))
      : error.failure;
  return initFailure(told, resource, id, properties(error.recorded));
}
