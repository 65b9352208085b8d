// The package schema of the `oms` plugin, from one function: the definition table's rows and the words tables, which
// the compiler keeps in step with the dynamic resources' public types. `schema.json` is this function's output.
import { DEFINITION_FIELDS } from "../client/definition";
import { ENV_FALLBACK, SECRET_KEYS, type ConfigKey } from "../core/config";
import { DIGEST_OUTPUT } from "../core/start-keys";
import { packageInfo } from "./package-info";
import { functionSpecs, functionTypes } from "./schema-functions";
import { SYNC_EVENT, syncEventSpec } from "./schema-event";
import {
  API_AUTH_CONFIG,
  CONFIG_WORDS,
  CONNECTION_WORDS,
  CREDENTIALS_TYPE,
  CREDENTIALS_WORDS,
  DEFINITION_TYPES,
  DIGEST_WORDS,
  SOURCE_CDN_TYPE,
  SOURCE_CDN_WORDS,
  STATE_OUTPUT_WORDS,
  SYNC_TASK_STATE_WORDS,
  SYNC_TASK_WORDS,
  TASK_OUTPUT_WORDS,
  type PropertySpec,
  type Specs,
} from "./schema-words";

/** The package name: resource tokens are `oms:index:<Type>`, config keys `oms:<key>`. */
export const PACKAGE = "oms";
/** The SyncTask resource's type token. */
export const SYNC_TASK = "oms:index:SyncTask";
/** The SyncTaskState resource's type token. */
export const SYNC_TASK_STATE = "oms:index:SyncTaskState";
/** The function that reads a task by id. */
export const GET_SYNC_TASK = "oms:index:getSyncTask";

type Properties = Record<string, PropertySpec>;

/** A resource's part of the schema (Pulumi's `resourceSpec`, the part this package uses). */
export interface ResourceSpec {
  description: string;
  inputProperties: Properties;
  requiredInputs: string[];
  properties: Properties;
  required: string[];
}

/** The package schema, as `GetSchema` serves it and `schema.json` holds it. */
export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  homepage?: string;
  repository?: string;
  /** Where the CLI downloads the plugin from; generated SDKs carry it, so a program's first `pulumi up` fetches it. */
  pluginDownloadURL?: string;
  license?: string;
  publisher: string;
  config: { variables: Properties };
  provider: { description: string; inputProperties: Properties };
  types: Record<string, { type: "object"; description: string; properties: Properties; required: string[] }>;
  resources: Record<string, ResourceSpec>;
  functions: Record<string, { description: string; inputs: ObjectSpec; outputs: ObjectSpec }>;
  language: Record<string, unknown>;
}

interface ObjectSpec {
  properties: Properties;
  required: string[];
}

const all = <T, S extends PropertyKey>(specs: Specs<T, S>): Properties => ({ ...specs.required, ...specs.optional });
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** A spec as a function's input or output: plain, since nothing there is stored or replaced. */
const plain = ({ type, $ref, description }: PropertySpec): PropertySpec =>
  JSON.parse(JSON.stringify({ type, $ref, description }));

/** One property per definition row, in the README's words: values, OMS's default, when it is sent, adoption. */
function definitionProperties(): Properties {
  const properties: Properties = {};
  for (const f of DEFINITION_FIELDS) {
    const sentences = [
      `${capitalized(f.doc)}: ${f.type}.`,
      "omsDefault" in f ? `OMS assumes \`${JSON.stringify(f.omsDefault)}\` without it.` : undefined,
      "start" in f && f.start ? "Sent in the create call and in every start." : undefined,
      "shown" in f && f.shown ? undefined : "OMS never shows it, so an adopted task takes it as declared.",
      f.change === "replace" ? "A change replaces the task, deleting the old one first." : undefined,
    ];
    properties[f.input] = {
      ...DEFINITION_TYPES[f.input],
      description: sentences.filter(Boolean).join(" "),
      ...(f.change === "replace" ? { replaceOnChanges: true } : {}),
    };
  }
  return properties;
}

const REQUIRED_DEFINITION: string[] = DEFINITION_FIELDS.filter((f) => f.required).map((f) => f.input);
/** Outputs every resource has once `check` filled the defaults. */
const ALWAYS_SET = ["syncTaskId", "state", "projectId", "timeoutSeconds", "status"];

function configVariables(): Properties {
  const variables: Properties = {};
  for (const key of Object.keys(CONFIG_WORDS) as ConfigKey[]) {
    const env = ENV_FALLBACK[key];
    const secret = SECRET_KEYS.has(key);
    const sentences = [
      CONFIG_WORDS[key],
      env && API_AUTH_CONFIG.includes(key)
        ? `Without any API authentication setting in config: the environment variable \`${env}\`.`
        : env
          ? `When not set: the environment variable \`${env}\`.`
          : undefined,
      secret ? `Set it with \`pulumi config set --secret oms:${key} <value>\`.` : undefined,
    ];
    variables[key] = {
      type: "string",
      description: sentences.filter(Boolean).join(" "),
      ...(secret ? { secret: true } : {}),
    };
  }
  return variables;
}

function syncTask(): ResourceSpec {
  const inputProperties = { ...definitionProperties(), ...all(SYNC_TASK_WORDS), ...all(CONNECTION_WORDS) };
  return {
    description:
      "A whole OMS sync task: `pulumi up` creates it (or adopts an existing one by `syncTaskId`), starts or pauses it and waits until OMS shows it; `pulumi destroy` pauses and deletes it. A change to its definition replaces it, deleting the old task first (OMS allows 5 per account). Keep the task on destroy with the `retainOnDelete` resource option. The resource id is the sync task id; `pulumi import oms:index:SyncTask <name> <task id>` imports one.",
    inputProperties,
    requiredInputs: REQUIRED_DEFINITION,
    properties: {
      ...inputProperties,
      syncTaskId: { ...inputProperties.syncTaskId, description: "The sync task id (also the resource id)." },
      ...TASK_OUTPUT_WORDS,
      [DIGEST_OUTPUT]: DIGEST_WORDS,
    },
    required: [...ALWAYS_SET, ...REQUIRED_DEFINITION],
  };
}

function syncTaskState(): ResourceSpec {
  const { syncTaskId, state, ...kms } = all(SYNC_TASK_STATE_WORDS);
  const inputProperties = { syncTaskId, state, ...all(CONNECTION_WORDS), ...kms };
  return {
    description:
      "The running state of an existing OMS sync task: `pulumi up` starts or pauses it until OMS shows `SYNCHRONIZING` or `STOPPED`. Destroying the resource leaves the task exactly as it is (no API call). The resource id is the sync task id; `pulumi import oms:index:SyncTaskState <name> <task id>` imports one.",
    inputProperties,
    requiredInputs: Object.keys(SYNC_TASK_STATE_WORDS.required),
    properties: { ...inputProperties, ...STATE_OUTPUT_WORDS, [DIGEST_OUTPUT]: DIGEST_WORDS },
    required: ALWAYS_SET,
  };
}

/** A SyncEvent's connection inputs: as the other resources', `endpoint` the only one that changes in place. */
function eventConnection(): Properties {
  const { projectId, region, endpoint } = CONNECTION_WORDS.optional;
  return {
    projectId: {
      ...projectId,
      description: projectId.description.replace("replaces the resource", "sends the event anew"),
    },
    region: { ...region, description: region.description.replace("replaces the resource", "sends the event anew") },
    endpoint: {
      ...endpoint,
      description: endpoint.description.replace("updates the resource with no API call", "makes no call"),
    },
  };
}

/** The connection arguments of a function, as plain specs. */
function connectionArguments(): Properties {
  const { projectId, region, endpoint } = CONNECTION_WORDS.optional;
  return { projectId: plain(projectId), region: plain(region), endpoint: plain(endpoint) };
}

function getSyncTask(task: ResourceSpec): PackageSchema["functions"][string] {
  const { projectId, region, endpoint } = CONNECTION_WORDS.optional;
  const shown = DEFINITION_FIELDS.filter((f) => "shown" in f && f.shown).map((f) => f.input);
  const outputKeys = ["syncTaskId", "state", "status", "projectId", "region", "endpoint", ...shown];
  outputKeys.push(...Object.keys(TASK_OUTPUT_WORDS).filter((key) => !outputKeys.includes(key)));
  return {
    description:
      "Reads a sync task by id: its definition as OMS shows it, its status and this month's counters. One show call; nothing changes. Connection settings default to the provider's, as for a resource.",
    inputs: {
      properties: {
        syncTaskId: plain({ type: "string", description: "The id of an existing OMS sync task." }),
        projectId: plain(projectId),
        region: plain(region),
        endpoint: plain(endpoint),
      },
      required: ["syncTaskId"],
    },
    outputs: {
      properties: Object.fromEntries(outputKeys.map((key) => [key, plain(task.properties[key])])),
      required: ["syncTaskId", "state", "status", "projectId"],
    },
  };
}

/**
 * The release downloads of the repository, as the CLI names a GitHub repository's releases
 * (`github://api.github.com/<owner>/<repo>`): it fetches `pulumi-resource-oms-v<version>-<os>-<arch>.tar.gz` from the
 * release tagged `v<version>`. Undefined when the repository is not on GitHub.
 */
function downloadURL(repository: string | undefined): string | undefined {
  const match = /github\.com[/:]([^/]+)\/([^/]+?)(\.git)?$/.exec(repository ?? "");
  return match ? `github://api.github.com/${match[1]}/${match[2]}` : undefined;
}

/** The whole package schema. Pure: the same for the same sources and package.json. */
export function buildSchema(): PackageSchema {
  const info = packageInfo();
  const task = syncTask();
  const variables = configVariables();
  return {
    name: PACKAGE,
    displayName: "Huawei Cloud OMS sync tasks",
    version: info.version,
    description:
      "Huawei Cloud OMS sync tasks: `SyncTask` owns a whole task (create or adopt, start or pause, delete), and `SyncTaskState` keeps an existing task started or paused.",
    keywords: ["pulumi", "huaweicloud", "oms", "sync-task", "category/cloud", "kind/native"],
    homepage: info.homepage,
    repository: info.repository?.url?.replace(/^git\+/, "").replace(/\.git$/, ""),
    pluginDownloadURL: downloadURL(info.repository?.url),
    license: info.license,
    publisher: "pulumi-oms-sync",
    config: { variables },
    provider: {
      description:
        "The OMS provider. Its settings are the `oms:*` stack config keys the dynamic resources read too. API authentication comes from one source as a whole: these settings when any of `accessKey`, `secretKey`, `securityToken`, `token` is set, else the `HW_*` environment variables.",
      inputProperties: variables,
    },
    types: {
      [CREDENTIALS_TYPE]: {
        type: "object",
        description:
          "Start-call keys for one resource, overriding the `oms:srcAk`… config keys. Stored only as a secret.",
        properties: Object.fromEntries(
          Object.entries(all(CREDENTIALS_WORDS)).map(([k, v]) => [k, { ...v, secret: true }]),
        ),
        required: Object.keys(CREDENTIALS_WORDS.required),
      },
      [SOURCE_CDN_TYPE]: {
        type: "object",
        description: "Where a SyncTask's CDN source is. Its authentication key is a start key (`credentials`).",
        properties: all(SOURCE_CDN_WORDS),
        required: Object.keys(SOURCE_CDN_WORDS.required),
      },
      ...functionTypes(),
    },
    resources: {
      [SYNC_TASK]: task,
      [SYNC_TASK_STATE]: syncTaskState(),
      [SYNC_EVENT]: syncEventSpec(eventConnection()),
    },
    functions: { [GET_SYNC_TASK]: getSyncTask(task), ...functionSpecs(connectionArguments()) },
    // respectSchemaVersion: each SDK asks the engine for the plugin of the schema's version (the package's), not
    // for the SDK's own (a Go SDK used through a replace line has none, and would ask for v0.0.0).
    language: {
      csharp: {
        rootNamespace: "Pulumi",
        namespaces: { [PACKAGE]: "OmsSync" },
        packageReferences: { Pulumi: "3.*" },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: "github.com/pulumi-oms-sync/pulumi-oms-sync/sdk/go/oms",
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
      nodejs: {
        packageName: "@pulumi-oms-sync/oms",
        dependencies: { "@pulumi/pulumi": "^3.139.0" },
        respectSchemaVersion: true,
      },
      python: { packageName: "pulumi_oms_sync", requires: { pulumi: ">=3.139.0,<4.0.0" }, respectSchemaVersion: true },
    },
  };
}

/** What the plugin needs to know of a resource from the schema: its inputs, its other outputs, its secrets. */
export interface ResourceKeys {
  inputs: string[];
  /** Outputs that are not inputs: unknown in a preview. */
  outputsOnly: string[];
  /** Outputs always set: unknown in a preview of a create when the inputs lack them. */
  alwaysSet: string[];
  /** Outputs stored only as secrets. */
  secrets: string[];
  /** Inputs whose change replaces the resource. */
  replacing: string[];
}

/** The keys of resource `token` (a token of {@link buildSchema}'s resources). */
export function resourceKeys(schema: PackageSchema, token: string): ResourceKeys {
  const spec = schema.resources[token];
  const inputs = Object.keys(spec.inputProperties);
  return {
    inputs,
    outputsOnly: Object.keys(spec.properties).filter((key) => !inputs.includes(key)),
    alwaysSet: spec.required,
    secrets: Object.keys(spec.properties).filter((key) => spec.properties[key].secret),
    replacing: inputs.filter((key) => spec.inputProperties[key].replaceOnChanges),
  };
}
