// How failures leave a lifecycle, whichever door it serves: with the stack config's names in their hints, a stable
// code instead of a stack, redacted once, and (after a create) the id the engine must record.
import { amend, hintFor, NOT_OMS_404, OmsError } from "../errors/oms-error";
import { PartialChange, recordedNote } from "./converge";
import { redact, scanPrefix } from "../errors/redact";
import { RecordedFailure, type Bag } from "./lifecycle";

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

/** A failure of this package's own (a bug), told in one redacted line without a trace. */
class UnexpectedFailure extends Error {
  constructor(resource: string, error: unknown) {
    super(
      `${resource} failed unexpectedly: ${redact(scanPrefix(error instanceof Error ? error.message : String(error)))}`,
    );
    Object.defineProperty(this, "stack", { value: "UNEXPECTED", configurable: true });
  }
}

/**
 * `error` as it leaves a lifecycle: an `OmsError` with its hint in config terms and its stable code for a stack (a
 * door may print the stack: Pulumi's dynamic plugin does for some methods); anything else (a bug) as one redacted
 * line. A failure already told passes as it is, so telling is done once.
 */
function told(error: unknown, resource: string): OmsError | UnexpectedFailure {
  if (error instanceof RecordedFailure || error instanceof UnexpectedFailure) return error;
  if (!(error instanceof OmsError)) return new UnexpectedFailure(resource, error);
  const hinted = withConfigHint(error);
  Object.defineProperty(hinted, "stack", { value: hinted.code, configurable: true });
  return hinted;
}

/** Rethrows `error` as it leaves a lifecycle (see {@link told}). */
export function surface(error: unknown, resource: string): never {
  throw told(error, resource);
}

/**
 * The one line a door shows for any error: a lifecycle's failure as it was told (redacted then), anything else (the
 * door's own errors) redacted here. Never a stack.
 */
export function messageOf(error: unknown): string {
  const text =
    error instanceof OmsError || error instanceof UnexpectedFailure
      ? error.message
      : redact(scanPrefix(error instanceof Error ? error.message : String(error)));
  return text.replace(/\s*\n\s*/g, " ");
}

/**
 * A failure after the remote object exists: a {@link RecordedFailure}, which both doors hand the engine so that it
 * records the resource under that id, and the next `up` updates it instead of creating another. A failure of this
 * package's own is recorded too (the task exists all the same), told as `INVALID_RESPONSE`: what OMS answered could
 * not be carried through.
 */
export function initFailure(error: unknown, resource: string, id: string, properties: Bag): never {
  const failure = told(error, resource);
  const oms =
    failure instanceof OmsError
      ? failure
      : new OmsError({ code: "INVALID_RESPONSE", operation: "create", taskId: id, reason: failure.message });
  throw new RecordedFailure(oms, id, properties);
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
