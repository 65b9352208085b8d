// Distinctive fake credentials: each is unique enough that finding it anywhere in output is a leak, not a
// coincidence.
export const API_KEY = { accessKey: "AKLEAKCANARY00000API", secretKey: "sk-LEAKCANARY-api-secret-0001" };
export const SECURITY_TOKEN = "sectok-LEAKCANARY-temporary-0002";
export const API_TOKEN = "token-LEAKCANARY-iam-0003";
export const TASK_KEYS = {
  srcAk: "srcak-LEAKCANARY-0004",
  srcSk: "srcsk-LEAKCANARY-0005",
  dstAk: "dstak-LEAKCANARY-0006",
  dstSk: "dstsk-LEAKCANARY-0007",
};
export const CDN_KEY = "cdnkey-LEAKCANARY-0008";

export const ALL_SECRETS: readonly string[] = [
  API_KEY.accessKey,
  API_KEY.secretKey,
  SECURITY_TOKEN,
  API_TOKEN,
  ...Object.values(TASK_KEYS),
  CDN_KEY,
];

/** Signatures the emulator saw in `Authorization` headers; they are secrets too. */
export function signaturesIn(headers: { authorization?: string }[]): string[] {
  return headers
    .map((h) => /Signature=([0-9a-f]+)/.exec(h.authorization ?? "")?.[1])
    .filter((s): s is string => s !== undefined);
}

/** Every secret (and extra value, e.g. a signature) found in `text`. */
export function leaksIn(text: string, extra: readonly string[] = []): string[] {
  return [...ALL_SECRETS, ...extra].filter((secret) => text.includes(secret));
}

/** All that an error can show: message, stack, own fields and its cause chain. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "", String(current));
      parts.push(JSON.stringify({ ...current }));
      current = (current as Error & { cause?: unknown }).cause;
    } else {
      parts.push(typeof current === "string" ? current : JSON.stringify(current));
      current = undefined;
    }
  }
  return parts.join("\n");
}
