// The emulator's own SDK-HMAC-SHA256 verifier, written from the published algorithm and sharing no code with the
// client's signer: a bug in one cannot hide in the other.
import { createHash, createHmac, timingSafeEqual } from "crypto";
import type { IncomingHttpHeaders } from "http";

/** Allowed distance between `X-Sdk-Date` and the emulator's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface AkSkCredential {
  accessKey: string;
  secretKey: string;
  /** When set, requests signed with this AK must carry this `X-Security-Token`. */
  securityToken?: string;
}

export type VerifyResult = { ok: true; accessKey: string } | { ok: false; code: string; message: string };

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Rebuilds the canonical request from what arrived on the wire. */
export function canonicalRequestFromWire(
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  signedHeaders: string[],
  body: Buffer,
): string {
  const q = rawUrl.indexOf("?");
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
  let uri = rawPath
    .split("/")
    .map((segment) => rfc3986(decode(segment)))
    .join("/");
  if (!uri.endsWith("/")) uri += "/";
  const pairs = rawQuery
    .split("&")
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? [decode(p), ""] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    })
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const query = pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  const headerBlock = signedHeaders
    .map((name) => {
      const value = headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(",") : (value ?? "")).trim()}\n`;
    })
    .join("");
  const bodyHash = createHash("sha256").update(body).digest("hex");
  return [method.toUpperCase(), uri, query, headerBlock, signedHeaders.join(";"), bodyHash].join("\n");
}

function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** Verifies an `Authorization: SDK-HMAC-SHA256 …` request the way the API gateway does. */
export function verifyAkSk(
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  credentials: readonly AkSkCredential[],
  nowMs: number,
): VerifyResult {
  const fail = (message: string): VerifyResult => ({
    ok: false,
    code: "APIG.0303",
    message: `Incorrect app authentication information: ${message}`,
  });
  const auth = headers.authorization ?? "";
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return fail("malformed Authorization header");
  const [, accessKey, signedList, signature] = m;
  const credential = credentials.find((c) => c.accessKey === accessKey);
  if (!credential) return fail("unknown access key");
  const signedHeaders = signedList.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-sdk-date")) {
    return fail("host and x-sdk-date must be signed");
  }
  const sdkDate = String(headers["x-sdk-date"] ?? "");
  const dateMs = parseSdkDate(sdkDate);
  if (dateMs === undefined) return fail("X-Sdk-Date is not YYYYMMDDTHHMMSSZ");
  if (Math.abs(nowMs - dateMs) > MAX_CLOCK_SKEW_MS)
    return fail("request expired: X-Sdk-Date is more than 15 minutes off");
  if (credential.securityToken !== undefined && headers["x-security-token"] !== credential.securityToken) {
    return fail("missing or wrong X-Security-Token");
  }
  const canonical = canonicalRequestFromWire(method, rawUrl, headers, signedHeaders, body);
  const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const expected = createHmac("sha256", credential.secretKey).update(stringToSign).digest();
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail("verify aksk signature fail");
  return { ok: true, accessKey };
}
