// How a task protects the keys it is given: `DEFAULT`, or `KMS` with a key id, per side (source, destination and a
// CDN source). Create fixes it; every later start must repeat it (OMS SDK 3.1.211, `StartSyncTaskReq`).

/** One side's encryption. */
export interface SideCrypto {
  type: "DEFAULT" | "KMS";
  kmsKeyId?: string;
}

/** A task's encryption, as create fixed it. */
export interface TaskCrypto {
  src: SideCrypto;
  dst: SideCrypto;
  cdn: SideCrypto;
}

/** OMS's KMS key ids are 36 characters (a UUID). */
const KMS_KEY_ID = /^[A-Za-z0-9-]{36}$/;

export const DEFAULT_CRYPTO: TaskCrypto = {
  src: { type: "DEFAULT" },
  dst: { type: "DEFAULT" },
  cdn: { type: "DEFAULT" },
};

/** Wire field names of each side, in a create or start body (the CDN's live inside `source_cdn` on create). */
type Fields = { type: string; id: string };
const SIDES = {
  src: { type: "src_crypto_type", id: "src_kms_key_id" },
  dst: { type: "dst_crypto_type", id: "dst_kms_key_id" },
} as const;
const CDN_ON_START: Fields = { type: "source_cdn_crypto_type", id: "source_cdn_kms_key_id" };
const CDN_ON_CREATE: Fields = { type: "crypto_type", id: "kms_key_id" };

/** One side read from `body`; a string naming the bad field when malformed. */
function side(body: Record<string, unknown>, fields: Fields): SideCrypto | string {
  const type = body[fields.type] ?? "DEFAULT";
  const id = body[fields.id];
  if (type !== "DEFAULT" && type !== "KMS") return fields.type;
  if (type === "KMS") return typeof id === "string" && KMS_KEY_ID.test(id) ? { type, kmsKeyId: id } : fields.id;
  // A key id without KMS contradicts itself.
  return id === undefined || id === null ? { type } : fields.id;
}

/**
 * The encryption a create body asks for, or the name of the first malformed field. `cdn` is the create body's
 * `source_cdn` object, when there is one.
 */
export function cryptoOfCreate(body: Record<string, unknown>, cdn?: Record<string, unknown>): TaskCrypto | string {
  const src = side(body, SIDES.src);
  const dst = side(body, SIDES.dst);
  const cdnSide = cdn ? side(cdn, CDN_ON_CREATE) : { type: "DEFAULT" as const };
  if (typeof src === "string") return src;
  if (typeof dst === "string") return dst;
  if (typeof cdnSide === "string") return `source_cdn.${cdnSide}`;
  return { src, dst, cdn: cdnSide };
}

/**
 * Why a start body's encryption does not fit the task: the name of the first field that is malformed or that
 * contradicts what create fixed; `undefined` when it fits.
 */
export function startCryptoProblem(body: Record<string, unknown>, task: TaskCrypto): string | undefined {
  const wanted: [Fields, SideCrypto][] = [
    [SIDES.src, task.src],
    [SIDES.dst, task.dst],
    [CDN_ON_START, task.cdn],
  ];
  for (const [fields, fixed] of wanted) {
    const given = side(body, fields);
    if (typeof given === "string") return given;
    if (given.type !== fixed.type) return fields.type;
    if (given.kmsKeyId !== fixed.kmsKeyId) return fields.id;
  }
  return undefined;
}
