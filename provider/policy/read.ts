// Reading a resource's properties in a policy without tripping over preview values: a value not known yet is never
// a violation, and reading one must not make the policy SDK report the policy as unable to run.

/** The placeholders Pulumi sends for values not known during a preview, one per kind of value. */
const UNKNOWN_SENTINELS = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Marks a value a preview does not know yet. */
export const PENDING: unique symbol = Symbol("not known until the update");

/**
 * `props[key]`, or {@link PENDING} when it is not known yet. The policy SDK's property proxy throws when an unknown
 * value is read; that is caught here, so the policy goes on with what it does know.
 */
export function read(props: unknown, key: string): unknown {
  let value: unknown;
  try {
    value = props && typeof props === "object" ? (props as Record<string, unknown>)[key] : undefined;
  } catch {
    return PENDING;
  }
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value) ? PENDING : value;
}

/** Every one of `keys`, or `undefined` when any is not known yet. Absent values are `undefined`. */
export function readAll(props: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const value = read(props, key);
    if (value === PENDING) return undefined;
    values[key] = value;
  }
  return values;
}
