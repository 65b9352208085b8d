// How failures leave a lifecycle method through Pulumi's plugin.
import { OmsError } from "../errors/oms-error";
import { redact, scanPrefix } from "../errors/redact";

/**
 * Rethrows `error` for the plugin, which prints a stack for some methods: an `OmsError` shows its stable code
 * instead; anything else (a bug) becomes one redacted line.
 */
export function surface(error: unknown, resource: string): never {
  if (error instanceof OmsError) {
    Object.defineProperty(error, "stack", { value: error.code, configurable: true });
    throw error;
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
