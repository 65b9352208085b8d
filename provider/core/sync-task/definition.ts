// What the resource does with a SyncTask's definition: check it (the rules), compare it (OMS's defaults, for diff
// and adoption) and read it back (refresh). Every field and rule comes from the definition table in the client.
import { DEFINITION_FIELDS, DEFINITION_KEYS, type DefinitionKey } from "../../client/definition";
import type { OmsSyncTask, SyncTaskDefinition } from "../../client/types";
import { compact } from "../../utils/compact";
import { type Checking } from "../check";
import { resolveStartKeys } from "../config";
import { configSource } from "../settings";
import { describe, isUnknown, same } from "../values";
import type { SyncTaskInputs } from "./types";

export { DEFINITION_KEYS };

/** Checks every definition field of `c.news` by its row's rule; unknown preview values are kept. */
export function checkDefinition(c: Checking): void {
  for (const f of DEFINITION_FIELDS) {
    const value = c.news[f.input];
    if (value === undefined || value === null) {
      if (f.required) c.failures.push({ property: f.input, reason: `${f.input} is required` });
      continue;
    }
    if (isUnknown(value)) {
      c.inputs[f.input] = value;
      continue;
    }
    const problem = f.rule(value, isUnknown);
    if (problem) c.failures.push({ property: f.input, reason: `${f.input} ${problem}; got ${describe(value)}` });
    else c.inputs[f.input] = value;
  }
  // Rules across fields.
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

/** A CDN source with authentication cannot start without its key (OMS.1032): say so in the preview. */
export function checkCdnKey(c: Checking): void {
  const cdn = c.inputs.sourceCdn as Record<string, unknown> | undefined;
  if (!cdn || isUnknown(cdn.authenticationType) || cdn.authenticationType === "NONE") return;
  const credentials = c.inputs.credentials;
  if (isUnknown(credentials)) return;
  const { keys } = resolveStartKeys(credentials as never, configSource(), isUnknown);
  if (keys && !keys.sourceCdnAuthenticationKey) {
    c.failures.push({
      property: "credentials",
      reason:
        "sourceCdn uses authentication, so the task needs its key: set `pulumi config set --secret oms:sourceCdnAuthenticationKey <value>` or pass credentials.sourceCdnAuthenticationKey",
    });
  }
}

const BY_INPUT = new Map<string, (typeof DEFINITION_FIELDS)[number]>(DEFINITION_FIELDS.map((f) => [f.input, f]));

/** A field as OMS would hold it: OMS's default filled in, an answer mapped to what create takes. */
export function canonical(props: Record<string, unknown>, key: DefinitionKey): unknown {
  const f = BY_INPUT.get(key);
  const value = props[key] ?? (f && "omsDefault" in f ? f.omsDefault : undefined);
  const answeredAs = f && "answeredAs" in f ? (f.answeredAs as Record<string, string>) : undefined;
  return typeof value === "string" ? (answeredAs?.[value] ?? value) : value;
}

/** The definition part of the inputs, as the client creates it. */
export function definitionOf(inputs: SyncTaskInputs): SyncTaskDefinition {
  const d: Record<string, unknown> = {};
  for (const key of DEFINITION_KEYS) if (inputs[key] !== undefined) d[key] = inputs[key];
  return d as unknown as SyncTaskDefinition;
}

/** The definition fields show reports, as inputs (the rows with a `shown` column). */
export function shownDefinition(task: OmsSyncTask): Partial<SyncTaskInputs> {
  const shown: Record<string, unknown> = {};
  for (const f of DEFINITION_FIELDS) {
    if ("shown" in f && f.shown) shown[f.input] = (task as unknown as Record<string, unknown>)[f.input];
  }
  return compact(shown) as Partial<SyncTaskInputs>;
}

/** Each declared field that an adopted task shows otherwise; fields show does not report are taken as declared. */
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
