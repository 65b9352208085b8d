// Turns an axios failure into the one OmsError: what went wrong with an attempt, decided once for the retry rule and
// the message, and never holding the request.
import { isAxiosError, type AxiosError } from "axios";
import { OmsError, hintFor, type OmsOperation } from "../errors/oms-error";
import { quoteServerText, redact, scanPrefix, shapedValue, withholdingServerText } from "../errors/redact";
import { omsState } from "./request-config";

/** The most of a non-JSON body or an `error_msg` a message quotes. */
const MAX_QUOTED_BODY_CHARS = 120;
const MAX_QUOTED_MSG_CHARS = 240;
/** OMS and gateway codes look like `OMS.1009`, `APIG.0303`, `APIGW.0101`. */
export const ERROR_CODE_SHAPE = /^[A-Za-z]{2,16}\.[A-Za-z0-9]{1,16}$/;
/** Request ids are short tokens (the gateway sends 32 hex digits). */
export const REQUEST_ID_SHAPE = /^[A-Za-z0-9._-]{1,128}$/;
/** Error bodies are parsed as JSON only up to this size; larger ones are treated as text. */
const MAX_JSON_ERROR_CHARS = 65_536;

/** The parts of an OMS or gateway error body this package reads. */
export interface ErrorBody {
  errorCode?: string;
  errorMsg?: string;
}

/**
 * Reads `{"error_code","error_msg"}` (OMS and the gateway), or `{"error":{"code","message"}}` (some gateway
 * versions). Returns `undefined` when the text is not such JSON. The code is kept only in its documented shape;
 * the message is a redacted quotation.
 */
export function parseErrorBody(text: string): ErrorBody | undefined {
  return readErrorBody(text).body;
}

/** The error body as OMS's (`body`), as other JSON, or as text; JSON is parsed only up to its size bound, once. */
function readErrorBody(text: string): { body?: ErrorBody; json: boolean } {
  if (text.length > MAX_JSON_ERROR_CHARS || text.trim() === "") return { json: false };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { json: false };
  }
  return { body: errorBodyOf(data), json: true };
}

function errorBodyOf(data: unknown): ErrorBody | undefined {
  if (!data || typeof data !== "object") return undefined;
  const record = data as Record<string, unknown>;
  const nested = record.error && typeof record.error === "object" ? (record.error as Record<string, unknown>) : {};
  const code = record.error_code ?? nested.code;
  const msg = record.error_msg ?? nested.message;
  if (typeof code !== "string" && typeof msg !== "string") return undefined;
  return {
    errorCode: shapedValue(code, ERROR_CODE_SHAPE),
    errorMsg: typeof msg === "string" ? quoteServerText(msg, MAX_QUOTED_MSG_CHARS) : undefined,
  };
}

/**
 * A one-line, redacted summary of a non-JSON body: an HTML page's title, else its text without tags, shortened.
 * Linear in the scanned prefix (`SCAN_CHARS`) whatever the body holds.
 */
export function summarizeBody(text: string): string {
  if (withholdingServerText()) return "a body (withheld: a configured key is too short to mask)";
  const prefix = redact(scanPrefix(text));
  const lower = prefix.toLowerCase();
  const open = lower.indexOf("<title");
  let shown: string | undefined;
  if (open >= 0) {
    const start = lower.indexOf(">", open);
    const end = start < 0 ? -1 : lower.indexOf("</title", start);
    if (end > start) shown = prefix.slice(start + 1, end);
  }
  const quoted = quoteServerText(shown ?? stripTags(prefix), MAX_QUOTED_BODY_CHARS);
  return quoted ? `"${quoted}"` : "an empty body";
}

/** Removes `<…>` tags in one pass; an unclosed `<` ends the scan. */
function stripTags(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt < 0) return out + text.slice(i);
    out += text.slice(i, lt) + " ";
    const gt = text.indexOf(">", lt);
    if (gt < 0) return out;
    i = gt + 1;
  }
  return out;
}

/** What went wrong with one HTTP attempt, decided once for both the retry rule and the error. */
export type FailureKind = "timeout" | "too-large" | "network" | "http" | "other";

/**
 * Classifies an axios failure. The client marks an attempt it cut off itself (`omsAttemptTimedOut`) and bounds the
 * body (`maxContentLength`); a body cut off mid-stream counts as a network failure whatever status preceded it.
 */
export function failureKind(error: AxiosError): FailureKind {
  if (omsState(error.config).omsAttemptTimedOut) return "timeout";
  if (error.code === "ETIMEDOUT" || error.code === "ECONNABORTED") return "timeout";
  if (error.code === "ERR_BAD_RESPONSE" && /maxContentLength/.test(error.message)) return "too-large";
  // axios's words for a response stream that broke off after the headers (a 5xx is ERR_BAD_RESPONSE too).
  if (error.code === "ERR_BAD_RESPONSE" && error.message === "stream has been aborted") return "network";
  if (error.response) return "http";
  return error.code ? "network" : "other";
}

/** Context for {@link toOmsError}. */
export interface FailureContext {
  operation: OmsOperation;
  taskId?: string;
  /** The endpoint the request went to, for messages about a wrong endpoint. Never holds credentials. */
  baseUrl?: string;
  /** Per-request timeout in ms, for the message. */
  requestTimeoutMs: number;
  /** The size cap on a response, for the message. */
  maxResponseBytes: number;
  /** Whether the transport's retry rule counted the failure as transient. */
  transient?: boolean;
}

/**
 * Turns any failure of an HTTP call into an {@link OmsError}. The axios error (which holds the request headers and
 * body) is never kept: only its status, the response text and the network error code are read, and every
 * server-derived string passes through the redactor.
 */
export function toOmsError(error: unknown, ctx: FailureContext): OmsError {
  if (error instanceof OmsError) return error;
  const base = { operation: ctx.operation, taskId: ctx.taskId };
  if (!isAxiosError(error)) {
    const reason = redact(scanPrefix(error instanceof Error ? error.message : String(error)));
    return new OmsError({ ...base, code: "NETWORK_ERROR", reason });
  }
  const transient = ctx.transient ?? false;
  const kind = failureKind(error);
  if (kind === "timeout") {
    return new OmsError({
      ...base,
      code: "TIMEOUT",
      transient,
      reason: `no response within ${(error.config?.timeout || ctx.requestTimeoutMs) / 1000} s`,
      hint: "OMS or the network is slow; try again, or check the endpoint",
    });
  }
  if (kind === "too-large") {
    return new OmsError({
      ...base,
      code: "INVALID_RESPONSE",
      reason: `the response is larger than ${formatBytes(ctx.maxResponseBytes)}, the most an OMS answer needs`,
      hint: "Check the endpoint points at OMS, not at a proxy or file server",
    });
  }
  const response = error.response;
  if (kind !== "http" || !response) {
    const code = shapedValue(error.code, /^[A-Z0-9_]{1,40}$/) ?? "UNKNOWN";
    return new OmsError({
      ...base,
      code: "NETWORK_ERROR",
      transient,
      reason: `could not reach ${safeHost(error.config?.url)} (${code})`,
      hint:
        code === "ENOTFOUND"
          ? "Check region and endpoint: the host name does not resolve"
          : "Check the endpoint and network; transient faults were already retried",
      cause: new Error(code),
    });
  }
  const status = response.status;
  const text = typeof response.data === "string" ? response.data : "";
  const requestId = shapedValue(headerValue(response.headers, "x-request-id"), REQUEST_ID_SHAPE);
  const { body, json } = readErrorBody(text);
  if (body) {
    const shown = [`HTTP ${status}`, body.errorCode, body.errorMsg].filter(Boolean).join(" ");
    return new OmsError({
      ...base,
      code: "OMS_API_ERROR",
      transient,
      reason: shown,
      status,
      errorCode: body.errorCode,
      errorMsg: body.errorMsg,
      requestId,
      hint: hintFor(body.errorCode, status, ctx.baseUrl, ctx.operation),
    });
  }
  return new OmsError({
    ...base,
    code: "OMS_API_ERROR",
    transient,
    reason: json
      ? `HTTP ${status} with a JSON body that has no error_code: ${summarizeBody(text)}`
      : `HTTP ${status} with a non-JSON body: ${summarizeBody(text)}`,
    status,
    requestId,
    hint: hintFor(undefined, status, ctx.baseUrl),
  });
}

function formatBytes(bytes: number): string {
  return bytes % 1_048_576 === 0 ? `${bytes / 1_048_576} MiB` : `${bytes} bytes`;
}

function headerValue(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== "object") return undefined;
  return (headers as Record<string, unknown>)[name];
}

function safeHost(url: string | undefined): string {
  try {
    return new URL(url ?? "").host;
  } catch {
    return "the OMS endpoint";
  }
}
