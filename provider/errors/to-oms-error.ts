import { isAxiosError } from "axios";
import { OmsError, hintFor, type OmsOperation } from "./oms-error";

/** The most of a non-JSON body a message quotes. */
const MAX_QUOTED_BODY_CHARS = 120;

/** The parts of an OMS or gateway error body this package reads. */
export interface ErrorBody {
  errorCode?: string;
  errorMsg?: string;
}

/**
 * Reads `{"error_code","error_msg"}` (OMS and the gateway), or `{"error":{"code","message"}}` (some gateway
 * versions). Returns `undefined` when the text is not such JSON.
 */
export function parseErrorBody(text: string): ErrorBody | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== "object") return undefined;
  const record = data as Record<string, unknown>;
  const nested = record.error && typeof record.error === "object" ? (record.error as Record<string, unknown>) : {};
  const code = record.error_code ?? nested.code;
  const msg = record.error_msg ?? nested.message;
  if (typeof code !== "string" && typeof msg !== "string") return undefined;
  return {
    errorCode: typeof code === "string" ? code : undefined,
    errorMsg: typeof msg === "string" ? msg : undefined,
  };
}

/** A one-line summary of a non-JSON body: an HTML page's title, else its text, shortened. */
export function summarizeBody(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
  if (!plain) return "an empty body";
  const short = plain.length > MAX_QUOTED_BODY_CHARS ? plain.slice(0, MAX_QUOTED_BODY_CHARS) + "…" : plain;
  return `"${short}"`;
}

/** Replaces every occurrence of each secret in `text` with `***`. Secrets shorter than 4 chars are too common. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  return out;
}

/** Context for {@link toOmsError}. */
export interface FailureContext {
  operation: OmsOperation;
  taskId?: string;
  /** Values that must not appear in the error, whatever the server echoed. */
  secrets: readonly string[];
  /** Per-request timeout in ms, for the message. */
  requestTimeoutMs: number;
  /** Whether the transport's retry rule counted the failure as transient. */
  transient?: boolean;
}

/**
 * Turns any failure of an HTTP call into an {@link OmsError}. The axios error (which holds the request headers and
 * body) is never kept: only its status, the response text and the network error code are read.
 */
export function toOmsError(error: unknown, ctx: FailureContext): OmsError {
  if (error instanceof OmsError) return error;
  const base = { operation: ctx.operation, taskId: ctx.taskId };
  if (!isAxiosError(error)) {
    const reason = redact(error instanceof Error ? error.message : String(error), ctx.secrets);
    return new OmsError({ ...base, code: "NETWORK_ERROR", reason });
  }
  const response = error.response;
  const transient = ctx.transient ?? false;
  if (!response) {
    const code = error.code ?? "UNKNOWN";
    if (code === "ETIMEDOUT" || code === "ECONNABORTED") {
      return new OmsError({
        ...base,
        code: "TIMEOUT",
        transient,
        reason: `no response within ${(error.config?.timeout || ctx.requestTimeoutMs) / 1000} s`,
        hint: "OMS or the network is slow; try again, or check the endpoint",
      });
    }
    const host = safeHost(error.config?.url);
    return new OmsError({
      ...base,
      code: "NETWORK_ERROR",
      transient,
      reason: `could not reach ${host} (${code})`,
      hint:
        code === "ENOTFOUND"
          ? "Check region and endpoint: the host name does not resolve"
          : "Check the endpoint and network; transient faults were already retried",
      cause: new Error(code),
    });
  }
  const status = response.status;
  const text = typeof response.data === "string" ? response.data : JSON.stringify(response.data ?? "");
  const requestId = headerValue(response.headers, "x-request-id");
  const body = parseErrorBody(text);
  if (body) {
    const errorMsg = body.errorMsg === undefined ? undefined : redact(body.errorMsg, ctx.secrets);
    const shown = [`HTTP ${status}`, body.errorCode, errorMsg].filter(Boolean).join(" ");
    return new OmsError({
      ...base,
      code: "OMS_API_ERROR",
      transient,
      reason: shown,
      status,
      errorCode: body.errorCode,
      errorMsg,
      requestId,
      hint: hintFor(body.errorCode, status),
    });
  }
  return new OmsError({
    ...base,
    code: "OMS_API_ERROR",
    transient,
    reason: `HTTP ${status} with a non-JSON body: ${redact(summarizeBody(text), ctx.secrets)}`,
    status,
    requestId,
    hint: hintFor(undefined, status),
  });
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" && value ? value : undefined;
}

function safeHost(url: string | undefined): string {
  try {
    return new URL(url ?? "").host;
  } catch {
    return "the OMS endpoint";
  }
}
