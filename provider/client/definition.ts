// A sync task's definition, field by field, in one table. Each row says what a program calls the field, what OMS
// calls it, the values it takes, what OMS assumes without it, what create and start send, how show reports it (and so
// how an adopted task is compared), and that a change replaces the task: OMS has no call that changes a definition.
// The create and start bodies, show parsing, the resources' check, diff and adoption, the SyncTask descriptor and the
// table in docs/how-it-works.md all come from here. Adding a field is one row here (the compiler then asks for its
// types, a test for its docs row).
import { compact } from "../utils/compact";
import {
  CONTROL_CHARACTER,
  DESCRIPTION_FORBIDDEN,
  KMS_KEY_ID_SHAPE,
  MAX_DESCRIPTION_CHARS,
  MAX_REGION_CHARS,
} from "./limits";
import type { OmsSyncTask, StartKeys, SyncTaskDefinition } from "./types";

/** The source clouds OMS syncs from (`src_cloud_type`). */
export const SRC_CLOUD_TYPES = [
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
] as const;
/** Storage classes of the destination (`dst_storage_policy`). */
export const DST_STORAGE_POLICIES = ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"] as const;
/** How OMS decides an object needs syncing again (`consistency_check`). */
export const CONSISTENCY_CHECKS = ["size_last_modified", "crc64", "transmission"] as const;
/** CDN authentication schemes (`source_cdn.authentication_type`). */
export const CDN_AUTHENTICATION_TYPES = [
  "NONE",
  "QINIU_PRIVATE_AUTHENTICATION",
  "ALIYUN_OSS_A",
  "ALIYUN_OSS_B",
  "ALIYUN_OSS_C",
  "KSYUN_PRIVATE_AUTHENTICATION",
  "AZURE_SAS_TOKEN",
  "TENCENT_COS_A",
  "TENCENT_COS_B",
  "TENCENT_COS_C",
  "TENCENT_COS_D",
] as const;

/** Why a value does not fit a field (without the field's name), or `undefined`. `pending` marks preview values. */
export type Rule = (value: unknown, pending: (value: unknown) => boolean) => string | undefined;

/** Wire entries a field adds to a create body, given the whole definition and the keys. */
type CreateWire = (value: unknown, d: SyncTaskDefinition, keys: StartKeys) => [string, unknown][];

/** One row of the table. */
export interface DefinitionField<I extends keyof SyncTaskDefinition = keyof SyncTaskDefinition> {
  /** The input's name (`SyncTaskArgs`, `SyncTaskDefinition`). */
  input: I;
  /** Its name on the wire, in create bodies and show answers. */
  wire: string;
  /** The values it takes, as the docs say it. */
  type: string;
  rule: Rule;
  required: boolean;
  /** What OMS assumes when create leaves it out: a program that leaves it out too means the same task. */
  omsDefault?: unknown;
  /** What create sends for it (by default `wire: value`). */
  create: CreateWire;
  /** Start repeats it (`KMS` as the crypto type and the key id under these names), or `undefined`. */
  start?: { typeField: string; idField: string };
  /** How show reports it under `wire` (`text` or `boolean`); absent when show does not, so adoption takes it as declared. */
  shown?: "text" | "boolean";
  /** Values show answers under another name (`no_check` for a task created with `transmission`). */
  answeredAs?: Record<string, string>;
  /** The start keys go into a create body just before this field, in the order Huawei's SDK sends them. */
  keysBefore?: "src" | "dst";
  /** A change replaces the task: OMS cannot change a definition. */
  change: "replace";
  /** Never a secret: the only secrets of a task are its start keys (`credentials`). */
  secret: false;
  /** What it means, for the docs. */
  doc: string;
}

const oneOf =
  (values: readonly string[]): Rule =>
  (v) =>
    typeof v === "string" && values.includes(v) ? undefined : `must be one of ${values.join(", ")}`;
const text =
  (max: number, pattern?: RegExp, what?: string): Rule =>
  (v) =>
    typeof v === "string" &&
    v.length >= 1 &&
    v.length <= max &&
    !CONTROL_CHARACTER.test(v) &&
    (!pattern || pattern.test(v))
      ? undefined
      : `must be ${what ?? `a string of 1–${max} characters`}`;
const bool: Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");
/** Why a value cannot be a KMS key id, or `undefined`. */
export const kmsKeyIdProblem: Rule = (v) =>
  typeof v === "string" && KMS_KEY_ID_SHAPE.test(v)
    ? undefined
    : "must be a KMS key id (36 characters: letters, digits and -)";
const region = text(MAX_REGION_CHARS, /^[A-Za-z0-9_.-]+$/, "a region name such as cn-north-4");
const bucket = text(255, /^\S+$/, "a bucket name without whitespace (1–255 characters)");
const description: Rule = (v) =>
  typeof v === "string" &&
  v.length <= MAX_DESCRIPTION_CHARS &&
  !DESCRIPTION_FORBIDDEN.test(v) &&
  !CONTROL_CHARACTER.test(v)
    ? undefined
    : `must be at most ${MAX_DESCRIPTION_CHARS} characters, none of < > ( ) " ' &`;

const CDN_FIELDS = ["domain", "protocol", "authenticationType"];
const sourceCdn: Rule = (value, pending) => {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return "must be an object { domain, protocol, authenticationType }";
  }
  const cdn = value as Record<string, unknown>;
  const extra = Object.keys(cdn).filter((k) => !CDN_FIELDS.includes(k));
  if (extra.length > 0) {
    return `has unknown field ${extra[0]} (its key is a start key: credentials.sourceCdnAuthenticationKey)`;
  }
  const check = (field: string, rule: Rule, problem: string) =>
    pending(cdn[field]) || !rule(cdn[field], pending) ? undefined : problem;
  const problems = [
    check("domain", text(255, /^\S+$/), "domain must be a domain name"),
    check("protocol", oneOf(["http", "https"]), 'protocol must be "http" or "https"'),
    check(
      "authenticationType",
      oneOf(CDN_AUTHENTICATION_TYPES),
      `authenticationType must be one of ${CDN_AUTHENTICATION_TYPES.join(", ")}`,
    ),
  ].filter(Boolean);
  return problems.length > 0 ? `is invalid: ${problems.join("; ")}` : undefined;
};

type Row<I extends keyof SyncTaskDefinition> = Omit<DefinitionField<I>, "change" | "secret" | "create" | "required"> &
  Partial<Pick<DefinitionField<I>, "create" | "required">>;

/** A row with the defaults every field shares: optional, sent in create as `wire: value`, replaces, not secret. */
function field<const I extends keyof SyncTaskDefinition>(row: Row<I>): DefinitionField<I> {
  return { required: false, create: (value) => [[row.wire, value]], ...row, change: "replace", secret: false };
}

/** A KMS key id: `*_crypto_type: KMS` and the id in create, and again in every start. */
function kms<const I extends "srcKmsKeyId" | "dstKmsKeyId">(
  input: I,
  side: "src" | "dst",
  doc: string,
): DefinitionField<I> {
  const typeField = `${side}_crypto_type`;
  const idField = `${side}_kms_key_id`;
  return field({
    input,
    wire: idField,
    type: "KMS key id, 36 characters",
    rule: kmsKeyIdProblem,
    create: (value) => [
      [typeField, "KMS"],
      [idField, value],
    ],
    start: { typeField, idField },
    keysBefore: side,
    doc,
  });
}

/** Every definition field, in the order Huawei's SDK sends them in a create body. */
export const DEFINITION_FIELDS = [
  field({
    input: "srcCloudType",
    wire: "src_cloud_type",
    type: SRC_CLOUD_TYPES.join(", "),
    rule: oneOf(SRC_CLOUD_TYPES),
    omsDefault: "Aliyun",
    shown: "text",
    doc: "where the source bucket is",
  }),
  field({
    input: "srcRegion",
    wire: "src_region",
    type: "region name",
    rule: region,
    required: true,
    shown: "text",
    doc: "the source bucket's region",
  }),
  field({
    input: "srcBucket",
    wire: "src_bucket",
    type: "bucket name",
    rule: bucket,
    required: true,
    shown: "text",
    doc: "the source bucket",
  }),
  kms("srcKmsKeyId", "src", "KMS key for the source keys OMS holds"),
  kms("dstKmsKeyId", "dst", "KMS key for the destination keys OMS holds"),
  field({
    input: "dstRegion",
    wire: "dst_region",
    type: "region name",
    rule: region,
    required: true,
    shown: "text",
    doc: "the destination bucket's region",
  }),
  field({
    input: "dstBucket",
    wire: "dst_bucket",
    type: "bucket name",
    rule: bucket,
    required: true,
    shown: "text",
    doc: "the destination bucket",
  }),
  field({
    input: "description",
    wire: "description",
    type: `string, ≤ ${MAX_DESCRIPTION_CHARS} chars, none of \`<>()"'&\``,
    rule: description,
    omsDefault: "",
    shown: "text",
    doc: "free text",
  }),
  field({
    input: "enableMetadataMigration",
    wire: "enable_metadata_migration",
    type: "boolean",
    rule: bool,
    omsDefault: false,
    shown: "boolean",
    doc: "copy object metadata too",
  }),
  field({
    input: "enableRestore",
    wire: "enable_restore",
    type: "boolean",
    rule: bool,
    omsDefault: false,
    shown: "boolean",
    doc: "restore archived source objects first",
  }),
  field({
    input: "dstStoragePolicy",
    wire: "dst_storage_policy",
    type: DST_STORAGE_POLICIES.join(", "),
    rule: oneOf(DST_STORAGE_POLICIES),
    omsDefault: "STANDARD",
    shown: "text",
    doc: "the destination objects' storage class",
  }),
  field({
    input: "appId",
    wire: "app_id",
    type: "string, ≤ 64 chars",
    rule: text(64),
    shown: "text",
    doc: "the Tencent APPID; required for Tencent",
  }),
  field({
    input: "sourceCdn",
    wire: "source_cdn",
    type: "`{ domain, protocol: http|https, authenticationType }`",
    rule: sourceCdn,
    create: (value, d, keys) => {
      const cdn = value as NonNullable<SyncTaskDefinition["sourceCdn"]>;
      const cdnKms = d.sourceCdnKmsKeyId;
      return [
        [
          "source_cdn",
          compact({
            domain: cdn.domain,
            protocol: cdn.protocol,
            authentication_type: cdn.authenticationType,
            authentication_key: keys.sourceCdnAuthenticationKey || undefined,
            crypto_type: cdnKms === undefined ? undefined : "KMS",
            kms_key_id: cdnKms,
          }),
        ],
      ];
    },
    doc: "read the source through a CDN (its key is a start key)",
  }),
  field({
    input: "sourceCdnKmsKeyId",
    wire: "source_cdn.kms_key_id",
    type: "KMS key id, 36 characters",
    rule: kmsKeyIdProblem,
    // Create carries it inside `source_cdn` (above); start at the top level.
    create: () => [],
    start: { typeField: "source_cdn_crypto_type", idField: "source_cdn_kms_key_id" },
    doc: "KMS key for the CDN key; needs `sourceCdn`",
  }),
  field({
    input: "consistencyCheck",
    wire: "consistency_check",
    type: CONSISTENCY_CHECKS.join(", "),
    rule: oneOf(CONSISTENCY_CHECKS),
    omsDefault: "size_last_modified",
    shown: "text",
    answeredAs: { no_check: "transmission" },
    doc: "how OMS decides an object needs copying again",
  }),
] as const;

/** A definition field's input name. */
export type DefinitionKey = (typeof DEFINITION_FIELDS)[number]["input"];
/** The input names of the fields show reports. */
export type ShownKey = Extract<(typeof DEFINITION_FIELDS)[number], { shown: string }>["input"];

/** The input names, in table order. */
export const DEFINITION_KEYS: readonly DefinitionKey[] = DEFINITION_FIELDS.map((f) => f.input);

// The table and the definition type name the same fields, and show parses into fields the task type has: a row
// without its type, or a type field without its row, does not compile.
const sameFields: [
  Exclude<DefinitionKey, keyof SyncTaskDefinition>,
  Exclude<keyof SyncTaskDefinition, DefinitionKey>,
] extends [never, never]
  ? true
  : never = true;
const shownFieldsParsed: Exclude<ShownKey, keyof OmsSyncTask> extends never ? true : never = true;
void sameFields;
void shownFieldsParsed;
