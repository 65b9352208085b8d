// Property values as the engine sends and takes them, and as the lifecycles take and return them. The engine wraps
// a secret in an object marked by a signature; the lifecycles take plain values. Unknowns are the same string on
// both sides (see core/values.ts), so they pass through untouched.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The key that marks a special value (a secret, an asset) in a property bag on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A plain property bag, as the lifecycles take and return it. */
export type Bag = Record<string, unknown>;

/** A bag from the engine: plain values, and the top-level keys that held a secret anywhere inside. */
export interface Received {
  bag: Bag;
  secrets: Set<string>;
}

/** Whether `value` is the engine's secret wrapper. */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** `value` with every secret wrapper (at any depth) replaced by what it wraps; `found()` is called for each. */
export function unwrapSecrets(value: unknown, found: () => void = () => undefined): unknown {
  if (isSecretWrapper(value)) {
    found();
    return unwrapSecrets(value.value, found);
  }
  if (Array.isArray(value)) return value.map((item) => unwrapSecrets(item, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, found)]));
  }
  return value;
}

/** A bag as the lifecycles take it: secrets unwrapped, remembering which top-level keys held one. */
export function received(struct: Struct | undefined): Received {
  const raw = struct?.toJavaScript() ?? {};
  const bag: Bag = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(raw)) bag[key] = unwrapSecrets(value, () => secrets.add(key));
  return { bag, secrets };
}

/** `value` in the engine's secret wrapper. */
export function secret(value: unknown): { [SIG_KEY]: string; value: unknown } {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * A bag for the engine: the top-level keys in `secretKeys` wrapped as secrets, `undefined` fields left out. The engine keeps a secret only where the plugin marks it, since the plugin says it accepts secrets.
 */
export function toStruct(bag: Bag | undefined, secretKeys: Iterable<string> = []): Struct {
  const wrap = new Set(secretKeys);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(bag ?? {})) {
    if (value === undefined) continue;
    out[key] = wrap.has(key) ? secret(value) : value;
  }
  // A JSON round trip drops nested `undefined` fields, which Struct refuses.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(out)));
}
