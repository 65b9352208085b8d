import { redact } from "./redact";

/**
 * Stable error codes. Programs may branch on them; they never change meaning.
 * - `OMS_API_ERROR`: OMS or its gateway answered with an error status.
 * - `NETWORK_ERROR`: no answer arrived (connection refused, reset, DNS).
 * - `TIMEOUT`: a request, or a whole wait for a status, ran out of time.
 * - `INVALID_RESPONSE`: a success status with a body that is not what OMS documents.
 * - `CONFIG_ERROR`: the client was given settings it cannot use; nothing was sent.
 */
export type OmsErrorCode = "OMS_API_ERROR" | "NETWORK_ERROR" | "TIMEOUT" | "INVALID_RESPONSE" | "CONFIG_ERROR";

/** The operation a failure belongs to, as named in messages. */
export type OmsOperation =
  "show" | "start" | "stop" | "list" | "create" | "delete" | "adopt" | "configure" | "wait" | "statistics" | "events";

/** The facts an {@link OmsError} carries. Every field is free of credentials. */
export interface OmsErrorDetails {
  code: OmsErrorCode;
  operation: OmsOperation;
  /** What went wrong, in one sentence, without the operation/task prefix. */
  reason: string;
  taskId?: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** OMS or gateway `error_code`, e.g. `OMS.1014` or `APIG.0303`. */
  errorCode?: string;
  /** OMS or gateway `error_msg`. */
  errorMsg?: string;
  /** The gateway's `X-Request-Id`, for a support ticket. */
  requestId?: string;
  /** What the user can do about it. */
  hint?: string;
  /** True when the transport's retry rule counts the failure as transient (it was retried while time allowed). */
  transient?: boolean;
  /** The underlying failure, already stripped of request data. */
  cause?: unknown;
}

/**
 * The one error type this package throws. Its message reads
 * `OMS <operation> of sync task <id> failed: <reason> [<error_code>] (request id <id>). <hint>`
 * and never contains a header, a request body, a key, a token or a signature.
 */
export class OmsError extends Error {
  readonly code: OmsErrorCode;
  /** The reason alone, as in the message after `failed: `. */
  readonly reason: string;
  readonly operation: OmsOperation;
  readonly taskId?: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly hint?: string;
  readonly transient: boolean;

  constructor(input: OmsErrorDetails) {
    // Every text field passes the redactor once more: whatever built it, no held secret leaves in an error.
    const details: OmsErrorDetails = {
      ...input,
      reason: redact(input.reason),
      errorMsg: input.errorMsg === undefined ? undefined : redact(input.errorMsg),
      hint: input.hint === undefined ? undefined : redact(input.hint),
    };
    super(formatMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "OmsError";
    this.code = details.code;
    this.operation = details.operation;
    this.taskId = details.taskId;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
    this.hint = details.hint;
    this.reason = details.reason;
    this.transient = details.transient ?? false;
  }
}

/** The facts `error` carries, to build it anew. */
export function detailsOf(error: OmsError): OmsErrorDetails {
  return {
    code: error.code,
    operation: error.operation,
    reason: error.reason,
    taskId: error.taskId,
    status: error.status,
    errorCode: error.errorCode,
    errorMsg: error.errorMsg,
    requestId: error.requestId,
    hint: error.hint,
    transient: error.transient,
  };
}

/** The same failure told differently: `changes` replace fields (a new reason, a better hint); the rest is kept. */
export function amend(error: OmsError, changes: Partial<OmsErrorDetails>): OmsError {
  return new OmsError({ ...detailsOf(error), ...changes });
}

function formatMessage(d: OmsErrorDetails): string {
  const subject = d.taskId === undefined ? `OMS ${d.operation}` : `OMS ${d.operation} of sync task ${d.taskId}`;
  let message = `${subject} failed: ${d.reason}`;
  if (d.requestId) message += ` (request id ${d.requestId})`;
  if (d.hint) message += `. ${d.hint}`;
  return message;
}

/** Hints for the codes users actually hit, keyed by OMS or gateway `error_code`. They speak of OMS and HTTP only. */
const HINTS: Record<string, string> = {
  "OMS.1014": "Check the source access key pair and that it may list and read the source bucket",
  "OMS.1020": "Check the destination access key pair and that it may write to the destination bucket",
  "OMS.1032": "This task's CDN source needs its authentication key in the start call",
  "OMS.0068": "Check the API token: it is invalid or expired",
  "OMS.1005": "Check the API credentials (access key and secret key, or token)",
  "APIG.0301": "Check the API credentials (access key and secret key, or token)",
  "APIG.0307": "Check the API token: it is invalid or expired",
  "APIG.0303":
    "Check the API credentials (access key, secret key, security token) and that this machine's clock is within 15 minutes of UTC",
  "OMS.0070": "The task has completed; OMS cannot start or stop it",
  "OMS.0054": "Check the task id: OMS does not know this task in this project and region",
  "OMS.1009": "Check the task id, project and region: the task was not found",
  "OMS.0053": "The API credentials may lack OMS permissions (e.g. the OMS FullAccess policy) in this project",
  "OMS.0072": "The API credentials lack permission for this operation in this project",
  "OMS.0201": "The account is restricted; see the Huawei Cloud console",
  "OMS.0202": "The account is frozen; see the Huawei Cloud console",
  "OMS.0204": "The account is not real-name verified; complete verification in the Huawei Cloud console",
  "OMS.0063": "The task is synchronizing; pause it first",
  "OMS.0064": "OMS rejected a request parameter; check the task id and project id",
  "OMS.0001": "OMS rejected a request parameter; check the task id and project id",
  "OMS.0002": "OMS rejected a request parameter's format; check the task id and project id",
  "OMS.0067": "OMS could not read the request body as JSON; this is a bug in pulumi-oms-sync, please report it",
  "OMS.1006": "OMS could not read the request body as JSON; this is a bug in pulumi-oms-sync, please report it",
  "OMS.1004": "A required parameter was missing; check the start keys (source and destination access key pairs)",
  "OMS.1007": "A required parameter was missing; check the start keys (source and destination access key pairs)",
  "OMS.1001": "OMS had an internal error; try again later",
  "OMS.0065": "The task is already started",
  "OMS.0066": "The task is not in progress, so it cannot be paused",
};

/** Where a parameter error of a create points: the definition, not the task id. */
const CREATE_PARAMETER_HINT = "OMS rejected a field of the task definition; correct the one its message names";
const CREATE_HINTS: Record<string, string> = {
  "OMS.0064": CREATE_PARAMETER_HINT,
  "OMS.0001": CREATE_PARAMETER_HINT,
  "OMS.0002": CREATE_PARAMETER_HINT,
  "OMS.0078": "The description may not contain < > ( ) \" ' &",
};

/** A sync event's refusals point at the event's own inputs: the task must run, and the keys are OMS's to judge. */
const EVENTS_HINTS: Record<string, string> = {
  "OMS.0066": "OMS takes sync events only for a synchronizing task; start the task (state: started) first",
  "OMS.0064": "OMS rejected the event's parameters; check objectKeys (1–10 object names) and the task id",
};

/** How the hint for a 404 that OMS did not explain ends. */
export const NOT_OMS_404 = "it may not be OMS: check the endpoint and region";

const STATUS_HINTS: Record<number, string> = {
  401: "Check the API credentials and this machine's clock",
  403: "The API credentials lack permission for OMS in this project",
  404: "Check syncTaskId, projectId, region and endpoint",
  429: "OMS is throttling requests; try again shortly or converge fewer tasks at once",
};

/**
 * The hint for an OMS `error_code`, else for the HTTP status, else `undefined`. A 404 that OMS did not explain
 * names `endpoint`: it usually means a wrong endpoint or base path.
 */
export function hintFor(
  errorCode: string | undefined,
  status: number | undefined,
  endpoint?: string,
  operation?: OmsOperation,
): string | undefined {
  if (operation === "create" && errorCode && CREATE_HINTS[errorCode]) return CREATE_HINTS[errorCode];
  if (operation === "events" && errorCode && EVENTS_HINTS[errorCode]) return EVENTS_HINTS[errorCode];
  if (errorCode && HINTS[errorCode]) return HINTS[errorCode];
  if (status === 404 && !errorCode?.startsWith("OMS.")) {
    return `${endpoint ?? "The endpoint"} answered 404 without an OMS error code, so ${NOT_OMS_404}`;
  }
  if (status !== undefined && STATUS_HINTS[status]) return STATUS_HINTS[status];
  if (status !== undefined && status >= 500) return "OMS or its gateway failed; try again later";
  return undefined;
}
