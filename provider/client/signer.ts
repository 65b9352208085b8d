import { createHash, createHmac } from "crypto";

/** The signing algorithm name Huawei Cloud's API gateway expects. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** The request parts that go into an `SDK-HMAC-SHA256` signature. */
export interface SignableRequest {
  /** HTTP method, any case; it is upper-cased for signing. */
  method: string;
  /** The path as sent, percent-encoded or not (`/v2/p/sync-tasks/a%20b` and `/v2/p/sync-tasks/a b` sign alike). */
  path: string;
  /** Query parameters; an array value means the key repeats. */
  query?: Record<string, string | string[]>;
  /** Headers to sign, by any-case name. Must include `host` and `x-sdk-date`. */
  headers: Record<string, string>;
  /** The exact body bytes sent; empty or absent for no body. */
  body?: string | Buffer;
}

/** The access key pair a request is signed with. */
export interface SigningKey {
  accessKey: string;
  secretKey: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * Percent-encodes a string the way the signer canonicalises it: RFC 3986 unreserved characters stay, every other
 * UTF-8 byte becomes `%XX` with upper-case hex (so a space is `%20`, never `+`).
 */
export function percentEncode(value: string): string {
  let out = "";
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, "utf8")) {
      out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
  }
  return out;
}

/**
 * Canonical URI: each segment of the path as sent is decoded once and re-encoded, so an escaped `/` inside a segment
 * (`%2F`) stays part of it; then the trailing `/` the gateway adds before it verifies.
 */
export function canonicalUri(path: string): string {
  const encoded = path
    .split("/")
    .map((segment) => percentEncode(decodeSegment(segment)))
    .join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}

/** Canonical query: keys sorted, a repeated key's values sorted, names and values encoded, joined with `&`. */
export function canonicalQuery(query: Record<string, string | string[]> = {}): string {
  const pairs: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const raw = query[key];
    const values = Array.isArray(raw) ? [...raw].sort() : [raw];
    for (const value of values) {
      pairs.push(`${percentEncode(key)}=${percentEncode(value)}`);
    }
  }
  return pairs.join("&");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A lone `%` is not an escape; sign it as the literal character it is.
    return segment;
  }
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Everything a signature is made of, exposed for tests and for readable failures. */
export interface SignatureParts {
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

/**
 * Signs a request with `SDK-HMAC-SHA256` as Huawei Cloud's API gateway verifies it. Every header passed in is
 * signed. Throws `TypeError` when `x-sdk-date` is missing.
 */
export function sign(request: SignableRequest, key: SigningKey): SignatureParts {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    headers.set(name.toLowerCase(), value.trim());
  }
  const date = headers.get("x-sdk-date");
  if (!date) {
    throw new TypeError("x-sdk-date header is required for signing");
  }
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(";");
  const canonicalHeaders = names.map((name) => `${name}:${headers.get(name)}\n`).join("");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body ?? ""),
  ].join("\n");
  const stringToSign = [SIGNING_ALGORITHM, date, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", key.secretKey).update(stringToSign).digest("hex");
  const authorization = `${SIGNING_ALGORITHM} Access=${key.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { signedHeaders, canonicalRequest, stringToSign, signature, authorization };
}

/** Formats a date as `X-Sdk-Date` wants it: UTC `YYYYMMDDTHHMMSSZ`. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
