// Shape rules for what the client is given (identifiers it puts into URLs, authentication), shared with the
// resources' `check`, and the errors for what breaks them.
import type { ApiAuth } from "./types";
import { OmsError, type OmsOperation } from "../errors/oms-error";

import { CONTROL_CHARACTER, MAX_PROJECT_ID_CHARS, MAX_TASK_ID_CHARS, MAX_TOKEN_CHARS } from "./limits";

/**
 * Why `value` cannot be a sync task id, or `undefined` when it can. Real ids are UUID-like; `.`/`..` would be
 * normalised into another path, and `/`, `\`, whitespace or control characters are signed differently by Huawei's
 * own SDKs, so all of those are refused.
 */
export function taskIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_TASK_ID_CHARS) {
    return `must be a string of 1–${MAX_TASK_ID_CHARS} characters`;
  }
  if (value === "." || value === "..") return "cannot be . or ..";
  if (/[/\\\s]/.test(value) || CONTROL_CHARACTER.test(value)) {
    return "cannot contain /, \\, whitespace or control characters (OMS task ids look like 0d146099-8f9e-…)";
  }
  return undefined;
}

/** Why `value` cannot be a project id, or `undefined` when it can. */
export function projectIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_PROJECT_ID_CHARS) {
    return `must be a string of 1–${MAX_PROJECT_ID_CHARS} characters`;
  }
  if (value === "." || value === ".." || /[/\\\s]/.test(value) || CONTROL_CHARACTER.test(value)) {
    return "cannot be . or .., nor contain /, \\, whitespace or control characters";
  }
  return undefined;
}

/** A `CONFIG_ERROR` of the client's own arguments: nothing was sent. */
export function configError(reason: string): OmsError {
  return new OmsError({ code: "CONFIG_ERROR", operation: "configure", reason });
}

/** An `INVALID_RESPONSE`: a success status with an answer that is not what OMS documents. */
export function invalidResponse(operation: OmsOperation, taskId: string | undefined, reason: string): OmsError {
  return new OmsError({
    code: "INVALID_RESPONSE",
    operation,
    taskId,
    reason,
    hint: "OMS answered in an unexpected shape; check the endpoint points at OMS",
  });
}

/** Throws `CONFIG_ERROR` when `taskId` cannot be a sync task id (see {@link taskIdProblem}). */
export function assertTaskId(taskId: unknown, operation: OmsOperation): void {
  const problem = taskIdProblem(taskId);
  if (problem) {
    throw new OmsError({ code: "CONFIG_ERROR", operation, reason: `the sync task id ${problem}` });
  }
}

/** Validates the authentication settings' shape; the values are never quoted. */
export function checkedAuth(auth: unknown): ApiAuth {
  const a = (auth && typeof auth === "object" ? auth : {}) as Record<string, unknown>;
  const field = (name: string, optional = false): string | undefined => {
    const value = a[name];
    if (optional && (value === undefined || value === "")) return undefined;
    if (
      typeof value !== "string" ||
      value.length === 0 ||
      value.length > MAX_TOKEN_CHARS ||
      CONTROL_CHARACTER.test(value)
    ) {
      throw configError(`auth.${name} must be a string of 1–${MAX_TOKEN_CHARS} characters without control characters`);
    }
    return value;
  };
  if (a.type === "token") return { type: "token", token: field("token") as string };
  if (a.type === "aksk") {
    return {
      type: "aksk",
      accessKey: field("accessKey") as string,
      secretKey: field("secretKey") as string,
      securityToken: field("securityToken", true),
    };
  }
  throw configError('auth.type must be "aksk" or "token"');
}
