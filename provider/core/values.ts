// Small facts about property values that every part of both resources needs: the preview's placeholder, a safe quotation of a bad input, and equality as the engine sees it.

/** The placeholder the engine sends in a preview for a value not yet known. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): boolean => value === UNKNOWN;

/** A short quotation of a bad (non-secret) input for a failure message; never throws. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? text.slice(0, 40) + "…" : text;
}

/** Equal as JSON, with `undefined` and `null` alike (diffs). */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Whether a diff sees `key` changed: unknown in the preview, or not the same as before. */
export function changed(olds: Record<string, unknown>, news: Record<string, unknown>, key: string): boolean {
  return isUnknown(news[key]) || !same(olds[key], news[key]);
}
