// Shape rules for the identifiers the client puts into URLs, shared with the resources' `check`.

/** Control characters (C0, DEL, C1): HTTP strips or rejects them, so a value holding one can never work. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** The most characters a sync task id may have. */
export const MAX_TASK_ID_CHARS = 255;
/** The most characters a project id may have. */
export const MAX_PROJECT_ID_CHARS = 1024;

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
