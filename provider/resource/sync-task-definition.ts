// What defines a SyncTask: its fields, their rules (check), OMS's defaults (diff), and how a shown task compares
// (adopt, refresh). OMS has no call that changes a definition, so every field here replaces the task.
import type { OmsSyncTask, SyncTaskDefinition } from "../client/types";
import { CONTROL_CHARACTER } from "../client/validate";
import { compact } from "../utils/compact";
import { describe, isUnknown, kmsKeyIdProblem, same, type Checking } from "./check-inputs";
import { settings } from "./context";
import { resolveStartKeys } from "./settings";
import {
  CDN_AUTHENTICATION_TYPES,
  CONSISTENCY_CHECKS,
  DST_STORAGE_POLICIES,
  SRC_CLOUD_TYPES,
  type SyncTaskInputs,
} from "./types";

/** The fields that define a task. OMS has no call that changes them, so a change replaces the task. */
export const DEFINITION_KEYS = [
  "srcCloudType",
  "srcRegion",
  "srcBucket",
  "dstRegion",
  "dstBucket",
  "description",
  "enableMetadataMigration",
  "enableRestore",
  "dstStoragePolicy",
  "consistencyCheck",
  "appId",
  "sourceCdn",
  "srcKmsKeyId",
  "dstKmsKeyId",
  "sourceCdnKmsKeyId",
] as const;
/** What OMS uses when create leaves a field out: a program that leaves it out too means the same task. */
const OMS_DEFAULTS: Partial<Record<(typeof DEFINITION_KEYS)[number], unknown>> = {
  srcCloudType: "Aliyun",
  description: "",
  enableMetadataMigration: false,
  enableRestore: false,
  dstStoragePolicy: "STANDARD",
  consistencyCheck: "size_last_modified",
};
/** OMS answers `no_check` for a task created with `transmission` (HTTP sources). */
const ANSWERED_AS: Record<string, string> = { no_check: "transmission" };
type Rule = (value: unknown) => string | undefined;
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
const KMS_KEY: Rule = kmsKeyIdProblem;
const REGION = text(64, /^[A-Za-z0-9_.-]+$/, "a region name such as cn-north-4");
const BUCKET = text(255, /^\S+$/, "a bucket name without whitespace (1–255 characters)");

const RULES: Record<(typeof DEFINITION_KEYS)[number], Rule> = {
  srcCloudType: oneOf(SRC_CLOUD_TYPES),
  srcRegion: REGION,
  srcBucket: BUCKET,
  dstRegion: REGION,
  dstBucket: BUCKET,
  description: (v) =>
    typeof v === "string" && v.length <= 255 && !/[<>()"'&]/.test(v) && !CONTROL_CHARACTER.test(v)
      ? undefined
      : `must be at most 255 characters, none of < > ( ) " ' &`,
  enableMetadataMigration: bool,
  enableRestore: bool,
  dstStoragePolicy: oneOf(DST_STORAGE_POLICIES),
  consistencyCheck: oneOf(CONSISTENCY_CHECKS),
  appId: text(64),
  sourceCdn: () => undefined, // checked field by field below
  srcKmsKeyId: KMS_KEY,
  dstKmsKeyId: KMS_KEY,
  sourceCdnKmsKeyId: KMS_KEY,
};
const REQUIRED = ["srcRegion", "srcBucket", "dstRegion", "dstBucket"];

/** Checks every definition field of `c.news` by its rule; unknown preview values are kept. */
export function checkDefinition(c: Checking): void {
  for (const key of DEFINITION_KEYS) {
    const value = c.news[key];
    if (value === undefined || value === null) {
      if (REQUIRED.includes(key)) c.failures.push({ property: key, reason: `${key} is required` });
      continue;
    }
    if (isUnknown(value)) {
      c.inputs[key] = value;
      continue;
    }
    const problem = key === "sourceCdn" ? checkSourceCdn(value) : RULES[key](value);
    if (problem) c.failures.push({ property: key, reason: `${key} ${problem}; got ${describe(value)}` });
    else c.inputs[key] = value;
  }
  if (c.news.srcCloudType === "Tencent" && (c.news.appId === undefined || c.news.appId === null)) {
    c.failures.push({
      property: "appId",
      reason: "appId (the Tencent APPID) is required when srcCloudType is Tencent",
    });
  }
  if (c.news.sourceCdnKmsKeyId !== undefined && c.news.sourceCdn === undefined) {
    c.failures.push({ property: "sourceCdnKmsKeyId", reason: "sourceCdnKmsKeyId needs sourceCdn" });
  }
}

function checkSourceCdn(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return "must be an object { domain, protocol, authenticationType }";
  }
  const cdn = value as Record<string, unknown>;
  const extra = Object.keys(cdn).filter((k) => !["domain", "protocol", "authenticationType"].includes(k));
  if (extra.length > 0) {
    return `has unknown field ${extra[0]} (its key is a start key: credentials.sourceCdnAuthenticationKey)`;
  }
  const problems = [
    isUnknown(cdn.domain)
      ? undefined
      : text(255, /^\S+$/, "a domain name")(cdn.domain) && "domain must be a domain name",
    isUnknown(cdn.protocol)
      ? undefined
      : oneOf(["http", "https"])(cdn.protocol) && 'protocol must be "http" or "https"',
    isUnknown(cdn.authenticationType)
      ? undefined
      : oneOf(CDN_AUTHENTICATION_TYPES)(cdn.authenticationType) &&
        `authenticationType must be one of ${CDN_AUTHENTICATION_TYPES.join(", ")}`,
  ].filter(Boolean);
  return problems.length > 0 ? `is invalid: ${problems.join("; ")}` : undefined;
}

/** A CDN source with authentication cannot start without its key (OMS.1032): say so in the preview. */
export function checkCdnKey(c: Checking): void {
  const cdn = c.inputs.sourceCdn as Record<string, unknown> | undefined;
  if (!cdn || isUnknown(cdn.authenticationType) || cdn.authenticationType === "NONE") return;
  const credentials = c.inputs.credentials;
  if (isUnknown(credentials)) return;
  const { keys } = resolveStartKeys(credentials as never, settings(), isUnknown);
  if (keys && !keys.sourceCdnAuthenticationKey) {
    c.failures.push({
      property: "credentials",
      reason:
        "sourceCdn uses authentication, so the task needs its key: set `pulumi config set --secret oms:sourceCdnAuthenticationKey <value>` or pass credentials.sourceCdnAuthenticationKey",
    });
  }
}

/** The definition as OMS would hold it: OMS's defaults filled in, answers mapped to what create takes. */
export function canonical(props: Record<string, unknown>, key: (typeof DEFINITION_KEYS)[number]): unknown {
  const value = props[key] ?? OMS_DEFAULTS[key];
  return typeof value === "string" ? (ANSWERED_AS[value] ?? value) : value;
}

/** The definition part of the inputs, as the client creates it. */
export function definitionOf(inputs: SyncTaskInputs): SyncTaskDefinition {
  const d: Record<string, unknown> = {};
  for (const key of DEFINITION_KEYS) if (inputs[key] !== undefined) d[key] = inputs[key];
  return d as unknown as SyncTaskDefinition;
}

/** The definition fields a show reports, as inputs. Show has no source_cdn and no KMS key ids. */
export function shownDefinition(task: OmsSyncTask): Partial<SyncTaskInputs> {
  return compact({
    srcCloudType: task.srcCloudType,
    srcRegion: task.srcRegion,
    srcBucket: task.srcBucket,
    dstRegion: task.dstRegion,
    dstBucket: task.dstBucket,
    description: task.description,
    enableMetadataMigration: task.enableMetadataMigration,
    enableRestore: task.enableRestore,
    dstStoragePolicy: task.dstStoragePolicy,
    consistencyCheck: task.consistencyCheck,
    appId: task.appId,
  });
}

/** Each declared definition field that the adopted task shows otherwise. */
export function mismatches(inputs: SyncTaskInputs, task: OmsSyncTask): string[] {
  const shown = shownDefinition(task) as Record<string, unknown>;
  const declared = inputs as unknown as Record<string, unknown>;
  return DEFINITION_KEYS.filter(
    (key) => shown[key] !== undefined && !same(canonical(declared, key), canonical(shown, key)),
  ).map(
    (key) =>
      `${key} is ${JSON.stringify(canonical(shown, key))} in OMS but ${JSON.stringify(canonical(declared, key))} in the program`,
  );
}
