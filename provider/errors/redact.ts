// The one redactor. Every string that comes from a server passes through here before it is stored, shown or thrown.
// It knows every secret this process holds: API keys and tokens, every start key (from config and from every
// resource's credentials), and, by their shape, every request signature.

/** Secrets shorter than this cannot be masked without mangling ordinary text; see {@link quoteServerText}. */
export const MIN_MASKABLE_SECRET_CHARS = 4;
/** The most of a server's text that is ever looked at: enough for any real error, bounded for hostile ones. */
export const SCAN_CHARS = 8_192;
/** What a masked secret shows as. */
export const MASK = "***";

// `SDK-HMAC-SHA256` signatures are 64 hex digits; any such run is masked, whichever request it came from.
const SIGNATURE_SHAPED = /[0-9a-fA-F]{64,}/g;

const held = new Set<string>();
let forms: string[] = [];
let longest = 0;
let hasShort = false;
let dirty = false;

/** Remembers secrets for the life of the process. Empty and non-string values are ignored. */
export function rememberSecrets(...values: unknown[]): void {
  for (const value of values) {
    if (typeof value !== "string" || value === "" || held.has(value)) continue;
    held.add(value);
    dirty = true;
  }
}

/** True when `value` is, or contains, a secret this process holds (maskable ones; in any encoding). */
export function holdsSecret(value: string): boolean {
  return redact(value) !== value;
}

/** The ways a secret can appear in text a server sends back: raw, URL-encoded (either case) and JSON-escaped. */
export function encodingsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const rfc3986 = uri.replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [
    ...new Set([
      secret,
      json,
      json.replace(/\//g, "\\/"),
      uri,
      rfc3986,
      lower(uri),
      lower(rfc3986),
      uri.replace(/%20/g, "+"),
    ]),
  ];
}

function refresh(): void {
  if (!dirty) return;
  const all = new Set<string>();
  hasShort = false;
  for (const secret of held) {
    if (secret.length < MIN_MASKABLE_SECRET_CHARS) {
      hasShort = true;
      continue;
    }
    for (const form of encodingsOf(secret)) all.add(form);
  }
  // Longest first: a secret that contains another is masked whole, not around the shorter one.
  forms = [...all].sort((a, b) => b.length - a.length);
  longest = forms.length > 0 ? forms[0].length : 0;
  dirty = false;
}

/** Masks every held secret (longest first, in every encoding) and every signature-shaped run in `text`. */
export function redact(text: string): string {
  refresh();
  let out = text.replace(SIGNATURE_SHAPED, MASK);
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(MASK);
  }
  return out;
}

/**
 * The bounded start of a server's text that is safe to work on: at most {@link SCAN_CHARS}. When the text is cut,
 * the part a secret could straddle is dropped too, so no secret's prefix survives the cut unmasked.
 */
export function scanPrefix(text: string): string {
  if (text.length <= SCAN_CHARS) return text;
  refresh();
  return text.slice(0, Math.max(0, SCAN_CHARS - Math.max(longest, 64)));
}

/**
 * A one-line, redacted quotation of server text, at most `maxChars` long (plus `…`). Works in time linear in the
 * scanned prefix. Redaction runs before and after whitespace is folded, and before the text is shortened. Returns `undefined`
 * for empty text, and while the process holds a secret too short to mask ({@link MIN_MASKABLE_SECRET_CHARS}): such
 * text is withheld rather than shown.
 */
export function quoteServerText(text: string, maxChars: number): string | undefined {
  refresh();
  if (hasShort) return undefined;
  // Again after folding: a secret the server split with a line break must not be joined back together.
  const plain = redact(foldWhitespace(redact(scanPrefix(text))));
  if (!plain) return undefined;
  return plain.length > maxChars ? plain.slice(0, maxChars) + "…" : plain;
}

/** True while free server text is withheld because a held secret is too short to mask. */
export function withholdingServerText(): boolean {
  refresh();
  return hasShort;
}

/**
 * A server value of a fixed shape (an error code, a request id, a status): returned only when it matches `shape`
 * and holds no secret; `undefined` otherwise. Never quotes the rejected value.
 */
export function shapedValue(value: unknown, shape: { test(value: string): boolean }): string | undefined {
  if (typeof value !== "string" || !shape.test(value)) return undefined;
  return holdsSecret(value) ? undefined : value;
}

function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Forgets every secret (tests only). */
export function forgetSecretsForTests(): void {
  held.clear();
  dirty = true;
}
