// The words and types of the properties more than one resource or function has, and of the provider's settings, in
// the README's words. The descriptors (sync-task/, sync-task-state/, sync-event/, functions/) are made of these.
import { CDN_AUTHENTICATION_TYPES } from "../client/definition";
import { SYNC_TASK_REGIONS } from "../client/endpoint";
import { MAX_KEY_CHARS } from "../client/limits";
import type { ConfigKey } from "./config";
import { typeRef, type ObjectTypeDescriptor, type Properties, type Property } from "./descriptor";
import { DEFAULT_TIMEOUT_SECONDS, DIGEST_OUTPUT, MAX_TIMEOUT_SECONDS } from "./types";

/** A string property. */
export const string = (description: string): Property => ({ type: "string", description });
/** A string property whose change replaces the resource. */
export const replacing = (description: string): Property => ({ type: "string", description, replaceOnChanges: true });
/** An integer property. */
export const integer = (description: string): Property => ({ type: "integer", description });
/** A property as a function's argument or result: plain, since nothing there is stored or replaced. */
export const plain = ({ type, $ref, description }: Property): Property =>
  JSON.parse(JSON.stringify({ type, $ref, description }));

/** The start keys of one resource: the `credentials` input's type. Every field is secret. */
export const CREDENTIALS_TYPE: ObjectTypeDescriptor = {
  name: "SyncTaskCredentials",
  description: "Start-call keys for one resource, overriding the `oms:srcAk`… config keys. Stored only as a secret.",
  properties: Object.fromEntries(
    Object.entries({
      srcAk: string("The source access key; overrides `oms:srcAk`."),
      srcSk: string("The source secret key; overrides `oms:srcSk`."),
      dstAk: string("The destination access key; overrides `oms:dstAk`."),
      dstSk: string("The destination secret key; overrides `oms:dstSk`."),
      sourceCdnAuthenticationKey: string(
        "The source CDN's authentication key; overrides `oms:sourceCdnAuthenticationKey`.",
      ),
    }).map(([k, v]) => [k, { ...v, secret: true }]),
  ),
  required: ["srcAk", "srcSk", "dstAk", "dstSk"],
};

/** Where a SyncTask's CDN source is: the `sourceCdn` input's type. */
export const SOURCE_CDN_TYPE: ObjectTypeDescriptor = {
  name: "SyncTaskSourceCdn",
  description: "Where a SyncTask's CDN source is. Its authentication key is a start key (`credentials`).",
  properties: {
    domain: string("The CDN's domain name."),
    protocol: string("`http` or `https`."),
    authenticationType: string(
      `${CDN_AUTHENTICATION_TYPES.join(", ")}. Its key is a start key: \`credentials.sourceCdnAuthenticationKey\` or \`oms:sourceCdnAuthenticationKey\`.`,
    ),
  },
  required: ["domain", "protocol", "authenticationType"],
};

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

/** Inputs both task resources take, with what a change means; functions and SyncEvent take the first three. */
export const CONNECTION = {
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
    $ref: typeRef(CREDENTIALS_TYPE),
    secret: true,
    description:
      "Start keys for this task, each field overriding its config key (`oms:srcAk`, `oms:srcSk`, `oms:dstAk`, `oms:dstSk`, `oms:sourceCdnAuthenticationKey`). Stored only as a secret. Rotated keys restart a started task so that OMS takes them.",
  },
  timeoutSeconds: {
    type: "number",
    description: `How long an operation waits for OMS (e.g. to show the new status), in seconds: above 0, at most ${MAX_TIMEOUT_SECONDS}. Default ${DEFAULT_TIMEOUT_SECONDS}. A change makes no API call.`,
  },
} satisfies Properties;

/** The words of `state`. */
export const STATE =
  '`"started"` or `"paused"`. A change sends one start or stop call, then waits until OMS shows `SYNCHRONIZING` or `STOPPED`.';
/** The words of `srcKmsKeyId` for a task someone else created. */
export const KMS_STATE =
  "KMS key id (36 characters) the task was created with for the source keys, if any. OMS never shows it, and every start must repeat it: declare it for a task created with KMS. A change makes no API call; the next start sends it.";

/** What both task resources report of OMS. */
export const RUNNING_OUTPUTS = {
  status: string("`SYNCHRONIZING` or `STOPPED`, as OMS last reported it."),
  lastStartTime: string("When OMS last started the task (ISO 8601), if it reports one."),
} satisfies Properties;

/** The secret output both task resources have. */
export const DIGEST = {
  [DIGEST_OUTPUT]: {
    type: "string",
    secret: true,
    description:
      "A salted HMAC-SHA256 digest of the start keys last sent (never the keys), so that a rotation shows in a preview. Always a secret.",
  },
} satisfies Properties;

/** Outputs both task resources always have once created. */
export const ALWAYS_SET = ["syncTaskId", "state", "projectId", "timeoutSeconds", "status"];

const count = (description: string): Property => ({ type: "number", description });

/** What OMS shows of a whole task besides its running state. */
export const TASK_OUTPUTS = {
  createTime: string("When OMS created the task (ISO 8601)."),
  monthlyAcceptanceRequest: count("Requests OMS accepted this month."),
  monthlySuccessObject: count("Objects synced this month."),
  monthlyFailureObject: count("Objects that failed this month."),
  monthlySkipObject: count("Objects skipped this month."),
  monthlySize: count("Bytes synced this month."),
  objectOverwriteMode: string("How OMS decides to overwrite an object at the destination."),
} satisfies Properties;
