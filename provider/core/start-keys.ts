// The start keys a resource last sent to OMS, remembered as a salted digest so that a rotation shows in a preview.
// OMS never returns keys, so this digest is the only way to know the keys in effect are not the declared ones.
import { createHmac, randomBytes, timingSafeEqual } from "crypto";
import type { StartKeys } from "../client/types";
import { isUnknown } from "./values";
import { configSource, settingsError } from "./settings";
import { resolveStartKeys } from "./config";

import { DIGEST_OUTPUT } from "./types";

export { DIGEST_OUTPUT };
const SCHEME = "hmac-sha256";

function mac(keys: StartKeys, salt: Buffer): Buffer {
  const fields = [keys.srcAk, keys.srcSk, keys.dstAk, keys.dstSk, keys.sourceCdnAuthenticationKey ?? ""];
  return createHmac("sha256", salt).update(JSON.stringify(fields)).digest();
}

/** A new digest of `keys`: `hmac-sha256:<salt>:<mac>`, with a random salt, so equal keys never digest alike. */
export function digestOf(keys: StartKeys): string {
  const salt = randomBytes(16);
  return `${SCHEME}:${salt.toString("base64url")}:${mac(keys, salt).toString("base64url")}`;
}

/** Whether `digest` was made from `keys`. A digest of another shape never matches. */
export function digestMatches(digest: string, keys: StartKeys): boolean {
  const [scheme, salt, value] = digest.split(":");
  if (scheme !== SCHEME || !salt || !value) return false;
  const expected = mac(keys, Buffer.from(salt, "base64url"));
  const given = Buffer.from(value, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The start keys for a task: each field from `credentials` when given there, else from config. Throws `CONFIG_ERROR`. */
export function startKeysFor(credentials: Partial<StartKeys> | undefined, taskId: string | undefined): StartKeys {
  const { keys, problems } = resolveStartKeys(credentials, configSource());
  if (!keys) throw settingsError(taskId, problems);
  return keys;
}

/** The keys a start would send now (from `credentials`, else config), or `undefined` when they are incomplete. */
export function currentKeys(credentials: unknown): StartKeys | undefined {
  const given = credentials && typeof credentials === "object" ? credentials : undefined;
  return resolveStartKeys(given as Partial<StartKeys> | undefined, configSource()).keys;
}

/**
 * How the keys a resource would send now relate to the ones it last recorded:
 * - `unchanged`: the recorded digest matches;
 * - `rotated`: it does not, so OMS still runs with other keys;
 * - `unrecorded`: nothing was recorded (a resource from before digests): treated as unknown, never as rotated;
 * - `unavailable`: the keys are not all set now (a paused task may have none).
 */
export function keysStatus(
  recorded: unknown,
  keys: StartKeys | undefined,
): "unchanged" | "rotated" | "unrecorded" | "unavailable" {
  if (!keys) return "unavailable";
  if (typeof recorded !== "string" || recorded === "") return "unrecorded";
  return digestMatches(recorded, keys) ? "unchanged" : "rotated";
}

/** The digest to record after an operation: the old one while it still matches (stable state), else a new one. */
export function digestToRecord(recorded: unknown, keys: StartKeys | undefined): string | undefined {
  if (!keys) return typeof recorded === "string" && recorded !== "" ? recorded : undefined;
  return keysStatus(recorded, keys) === "unchanged" ? (recorded as string) : digestOf(keys);
}

/** Whether the start keys a start would send now differ from the recorded ones, or were never recorded (diff). */
export function keysChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (isUnknown(news.credentials)) return true;
  const status = keysStatus(olds[DIGEST_OUTPUT], currentKeys(news.credentials));
  return status === "rotated" || status === "unrecorded";
}
