// What the schema says about each input and output that is not a row of the definition table, in the README's
// words. Each table is keyed by the public types the dynamic resources declare, so the compiler asks for a new
// input's (or output's) schema entry, in the required or optional part as the type has it.
import { CDN_AUTHENTICATION_TYPES } from "../client/definition";
import { SYNC_TASK_REGIONS } from "../client/endpoint";
import { MAX_KEY_CHARS, MAX_TASK_ID_CHARS } from "../client/limits";
import type { SyncTaskConnectionArgs, SyncTaskCredentialsArgs } from "../dynamic/args";
import type { ConfigKey } from "../core/config";
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from "../core/types";
import type { SyncTaskArgs } from "../dynamic/sync-task";
import type { SourceCdn, SyncTaskInputs, SyncTaskOutputs } from "../core/sync-task/types";
import type { SyncTaskStateArgs } from "../dynamic/sync-task-state";
import type { SyncTaskStateInputs, SyncTaskStateOutputs } from "../core/sync-task-state/types";
import type { DefinitionKey } from "../client/definition";

/** One property of the schema (Pulumi's `propertySpec`, the part this package uses). */
export interface PropertySpec {
  type?: "string" | "number" | "boolean" | "integer" | "array";
  $ref?: string;
  /** The items of an `array`. */
  items?: { type?: "string" | "number" | "boolean" | "integer"; $ref?: string };
  description: string;
  secret?: boolean;
  replaceOnChanges?: boolean;
}

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/** Specs for the keys of `T` (less `Skip`), split as `T` requires them or not. */
export interface Specs<T, Skip extends PropertyKey = never> {
  required: Record<Exclude<RequiredKeys<T>, Skip>, PropertySpec>;
  optional: Record<Exclude<keyof T, RequiredKeys<T> | Skip>, PropertySpec>;
}

/** The token of the credentials object type. */
export const CREDENTIALS_TYPE = "oms:index:SyncTaskCredentials";
/** The token of the CDN source object type. */
export const SOURCE_CDN_TYPE = "oms:index:SyncTaskSourceCdn";

const string = (description: string): PropertySpec => ({ type: "string", description });
const replacing = (description: string): PropertySpec => ({ type: "string", description, replaceOnChanges: true });

/** The settings of API authentication, which come from config or from the environment as a whole. */
export const API_AUTH_CONFIG: readonly ConfigKey[] = ["accessKey", "secretKey", "securityToken", "token"];

/** The provider's settings: the `oms:*` stack config keys, which the dynamic resources read too. */
export const CONFIG_WORDS: Record<ConfigKey, string> = {
  projectId:
    "The default `projectId` of every resource. In the console under My Credentials → API Credentials, one per region (use the one of `region`).",
  region: `The default \`region\` of every resource; sync tasks exist in ${SYNC_TASK_REGIONS.join(", ")}.`,
  endpoint: "The default `endpoint` of every resource; without it, `https://oms.{region}.myhuaweicloud.com`.",
  accessKey:
    "API authentication by AK/SK request signing (`SDK-HMAC-SHA256`), used when both `accessKey` and `secretKey` are set.",
  secretKey: "The secret key of the AK/SK pair (see `accessKey`).",
  securityToken: "With temporary AK/SK; sent as `X-Security-Token`.",
  token: "API authentication by IAM token (`X-Auth-Token`), used when no AK/SK is set.",
  srcAk: `The source bucket's access key, sent in the start (and create) call (1–${MAX_KEY_CHARS} chars).`,
  srcSk: `The source bucket's secret key, sent in the start (and create) call (1–${MAX_KEY_CHARS} chars).`,
  dstAk: `The destination bucket's access key, sent in the start (and create) call (1–${MAX_KEY_CHARS} chars).`,
  dstSk: `The destination bucket's secret key, sent in the start (and create) call (1–${MAX_KEY_CHARS} chars).`,
  sourceCdnAuthenticationKey: "Only for tasks whose source is a CDN with authentication: the CDN's key.",
};

/** Inputs both resources take, with what a change means. */
export const CONNECTION_WORDS: Specs<SyncTaskConnectionArgs> = {
  required: {},
  optional: {
    projectId: replacing(
      "Project id (1–1024 chars); default the provider's `projectId` (config `oms:projectId`), then env `HW_PROJECT_ID`. A change replaces the resource.",
    ),
    region: replacing(
      `Region: ${SYNC_TASK_REGIONS.join(", ")} (any with \`endpoint\`); default config \`oms:region\`, then env \`HW_REGION_NAME\`. A change replaces the resource.`,
    ),
    endpoint: string(
      "OMS endpoint URL (`http://` only to localhost, 127.0.0.0/8, ::1); default config `oms:endpoint`, else `https://oms.{region}.myhuaweicloud.com`. A change updates the resource with no API call.",
    ),
    credentials: {
      $ref: `#/types/${CREDENTIALS_TYPE}`,
      secret: true,
      description:
        "Start keys for this task, each field overriding its config key (`oms:srcAk`, `oms:srcSk`, `oms:dstAk`, `oms:dstSk`, `oms:sourceCdnAuthenticationKey`). Stored only as a secret. Rotated keys restart a started task so that OMS takes them.",
    },
    timeoutSeconds: {
      type: "number",
      description: `How long an operation waits for OMS (e.g. to show the new status), in seconds: above 0, at most ${MAX_TIMEOUT_SECONDS}. Default ${DEFAULT_TIMEOUT_SECONDS}. A change makes no API call.`,
    },
  },
};

const STATE =
  '`"started"` or `"paused"`. A change sends one start or stop call, then waits until OMS shows `SYNCHRONIZING` or `STOPPED`.';
const KMS_STATE =
  "KMS key id (36 characters) the task was created with for the source keys, if any. OMS never shows it, and every start must repeat it: declare it for a task created with KMS. A change makes no API call; the next start sends it.";

/** SyncTaskState's own inputs. */
export const SYNC_TASK_STATE_WORDS: Specs<SyncTaskStateArgs, keyof SyncTaskConnectionArgs> = {
  required: {
    syncTaskId: replacing(
      `Id of an existing OMS sync task (1–${MAX_TASK_ID_CHARS} chars, no \`/\`, \`\\\`, whitespace). A change replaces the resource.`,
    ),
    state: string(STATE),
  },
  optional: {
    srcKmsKeyId: string(KMS_STATE),
    dstKmsKeyId: string("As `srcKmsKeyId`, for the destination keys."),
    sourceCdnKmsKeyId: string("As `srcKmsKeyId`, for the CDN source's authentication key."),
  },
};

/** SyncTask's inputs besides its definition. */
export const SYNC_TASK_WORDS: Specs<SyncTaskArgs, keyof SyncTaskConnectionArgs | DefinitionKey> = {
  required: {},
  optional: {
    syncTaskId: replacing(
      "Adopt this existing task instead of creating one. Its definition must match the inputs (create fails naming each field that differs); `sourceCdn` and the KMS key ids are taken as declared. A new id replaces the resource.",
    ),
    state: string(`${STATE} Default \`"started"\`.`),
  },
};

/** The schema type of each definition field; each row's words come from the table itself. */
export const DEFINITION_TYPES: Record<DefinitionKey, Pick<PropertySpec, "type" | "$ref">> = {
  srcCloudType: { type: "string" },
  srcRegion: { type: "string" },
  srcBucket: { type: "string" },
  srcKmsKeyId: { type: "string" },
  dstKmsKeyId: { type: "string" },
  dstRegion: { type: "string" },
  dstBucket: { type: "string" },
  description: { type: "string" },
  enableMetadataMigration: { type: "boolean" },
  enableRestore: { type: "boolean" },
  dstStoragePolicy: { type: "string" },
  appId: { type: "string" },
  sourceCdn: { $ref: `#/types/${SOURCE_CDN_TYPE}` },
  sourceCdnKmsKeyId: { type: "string" },
  consistencyCheck: { type: "string" },
};

/** Outputs both resources have besides their inputs. */
export const STATE_OUTPUT_WORDS: Record<
  Exclude<keyof SyncTaskStateOutputs, keyof SyncTaskStateInputs>,
  PropertySpec
> = {
  status: string("`SYNCHRONIZING` or `STOPPED`, as OMS last reported it."),
  lastStartTime: string("When OMS last started the task (ISO 8601), if it reports one."),
};

/** The secret output both resources have. */
export const DIGEST_WORDS: PropertySpec = {
  type: "string",
  secret: true,
  description:
    "A salted HMAC-SHA256 digest of the start keys last sent (never the keys), so that a rotation shows in a preview. Always a secret.",
};

const count = (description: string): PropertySpec => ({ type: "number", description });

/** SyncTask's outputs besides its inputs. */
export const TASK_OUTPUT_WORDS: Record<Exclude<keyof SyncTaskOutputs, keyof SyncTaskInputs>, PropertySpec> = {
  ...STATE_OUTPUT_WORDS,
  createTime: string("When OMS created the task (ISO 8601)."),
  monthlyAcceptanceRequest: count("Requests OMS accepted this month."),
  monthlySuccessObject: count("Objects synced this month."),
  monthlyFailureObject: count("Objects that failed this month."),
  monthlySkipObject: count("Objects skipped this month."),
  monthlySize: count("Bytes synced this month."),
  objectOverwriteMode: string("How OMS decides to overwrite an object at the destination."),
};

/** The fields of `credentials`. */
export const CREDENTIALS_WORDS: Specs<SyncTaskCredentialsArgs> = {
  required: {
    srcAk: string("The source access key; overrides `oms:srcAk`."),
    srcSk: string("The source secret key; overrides `oms:srcSk`."),
    dstAk: string("The destination access key; overrides `oms:dstAk`."),
    dstSk: string("The destination secret key; overrides `oms:dstSk`."),
  },
  optional: {
    sourceCdnAuthenticationKey: string(
      "The source CDN's authentication key; overrides `oms:sourceCdnAuthenticationKey`.",
    ),
  },
};

/** The fields of `sourceCdn`. */
export const SOURCE_CDN_WORDS: Specs<SourceCdn> = {
  required: {
    domain: string("The CDN's domain name."),
    protocol: string("`http` or `https`."),
    authenticationType: string(
      `${CDN_AUTHENTICATION_TYPES.join(", ")}. Its key is a start key: \`credentials.sourceCdnAuthenticationKey\` or \`oms:sourceCdnAuthenticationKey\`.`,
    ),
  },
  optional: {},
};
