// What OMS accepts in a create body, field by field, and the limits it enforces (kept apart from the client's).
import { cryptoOfCreate, type TaskCrypto } from "./crypto";
import { omsError, type Reply } from "./reply";

export const MAX_KEY = 100;
/** Values create accepts, per field. */
const ENUMS: Record<string, string[]> = {
  src_cloud_type: [
    "AWS",
    "Azure",
    "Aliyun",
    "Tencent",
    "HuaweiCloud",
    "QingCloud",
    "KingsoftCloud",
    "Baidu",
    "Qiniu",
    "UCloud",
  ],
  dst_storage_policy: ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"],
  consistency_check: ["size_last_modified", "crc64", "transmission"],
};
export const MAX_CDN_KEY = 255;
/** Bucket names are at most 63 characters on every cloud OMS reads from. */
const MAX_BUCKET = 63;
export const CRYPTO_FIELDS = ["src_crypto_type", "src_kms_key_id", "dst_crypto_type", "dst_kms_key_id"];
export const MAX_TASK_ID = 255;

/** A create body's problem as OMS answers it, or the parts the task keeps: its CDN source and its encryption. */
export function checkCreateBody(
  body: Record<string, unknown>,
): Reply | { cdn?: Record<string, unknown>; crypto: TaskCrypto } {
  for (const field of [
    "src_bucket",
    "dst_bucket",
    "src_ak",
    "src_sk",
    "dst_ak",
    "dst_sk",
    "src_region",
    "dst_region",
  ]) {
    if (typeof body[field] !== "string" || body[field] === "") {
      return omsError(400, "OMS.1004", `Required parameter missing: ${field}.`);
    }
  }
  for (const field of ["src_ak", "src_sk", "dst_ak", "dst_sk"]) {
    if ((body[field] as string).length > MAX_KEY)
      return omsError(400, "OMS.0064", `Invalid request parameters: ${field}.`);
  }
  for (const [field, allowed] of Object.entries(ENUMS)) {
    if (body[field] !== undefined && !allowed.includes(body[field] as string)) {
      return omsError(400, "OMS.0064", `Invalid request parameters: ${field}.`);
    }
  }
  const description = body.description;
  if (
    description !== undefined &&
    (typeof description !== "string" || description.length > 255 || /[<>()"'&]/.test(description))
  ) {
    return omsError(400, "OMS.0078", "The description contains illegal characters.");
  }
  if ((body.src_cloud_type ?? "Aliyun") === "Tencent" && typeof body.app_id !== "string") {
    return omsError(400, "OMS.1004", "Required parameter missing: app_id.");
  }
  for (const field of ["src_bucket", "dst_bucket"]) {
    if ((body[field] as string).length > MAX_BUCKET) {
      return omsError(
        400,
        "OMS.0064",
        `Invalid request parameters: ${field} exceeds the maximum length of ${MAX_BUCKET} characters.`,
      );
    }
  }
  const cdn =
    body.source_cdn && typeof body.source_cdn === "object" ? (body.source_cdn as Record<string, unknown>) : undefined;
  const crypto = cryptoOfCreate(body, cdn);
  if (typeof crypto === "string") return omsError(400, "OMS.0064", `Invalid request parameters: ${crypto}.`);
  return { cdn, crypto };
}
