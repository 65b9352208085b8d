// The package schema of the `oms` plugin, from one function: the descriptors of the resources and functions (core),
// and the provider's settings. `schema.json` is this function's output.
import { ENV_FALLBACK, SECRET_KEYS, type ConfigKey } from "../core/config";
import {
  inputKeys,
  outputKeys,
  pluginToken,
  replaceKeys,
  secretKeys,
  type FunctionDescriptor,
  type ObjectTypeDescriptor,
  type Properties,
  type ResourceDescriptor,
} from "../core/descriptor";
import {
  GET_SYNC_TASK as GET_TASK,
  GET_SYNC_TASKS as LIST,
  GET_SYNC_TASK_STATISTICS as STATISTICS,
  POINT_TYPE,
  SUMMARY_TYPE,
} from "../core/functions/descriptors";
import { API_AUTH_CONFIG, CONFIG_WORDS, CREDENTIALS_TYPE, SOURCE_CDN_TYPE } from "../core/properties";
import { SYNC_EVENT as EVENT } from "../core/sync-event/descriptor";
import { SYNC_TASK as TASK } from "../core/sync-task/descriptor";
import { SYNC_TASK_STATE as STATE } from "../core/sync-task-state/descriptor";
import { packageInfo } from "./package-info";

/** The package name: resource tokens are `oms:index:<Type>`, config keys `oms:<key>`. */
export const PACKAGE = "oms";
/** The resources, in the order the schema lists them. */
export const RESOURCE_DESCRIPTORS: readonly ResourceDescriptor[] = [TASK, STATE, EVENT];
/** The functions, in the order the schema lists them. */
export const FUNCTION_DESCRIPTORS: readonly FunctionDescriptor[] = [GET_TASK, LIST, STATISTICS];
const OBJECT_TYPES: readonly ObjectTypeDescriptor[] = [CREDENTIALS_TYPE, SOURCE_CDN_TYPE, SUMMARY_TYPE, POINT_TYPE];

/** The SyncTask resource's type token. */
export const SYNC_TASK = pluginToken(TASK);
/** The SyncTaskState resource's type token. */
export const SYNC_TASK_STATE = pluginToken(STATE);
/** The SyncEvent resource's type token. */
export const SYNC_EVENT = pluginToken(EVENT);
/** The function that reads a task by id. */
export const GET_SYNC_TASK = pluginToken(GET_TASK);
/** The function that lists the project's tasks. */
export const GET_SYNC_TASKS = pluginToken(LIST);
/** The function that reads one statistics series of a task. */
export const GET_SYNC_TASK_STATISTICS = pluginToken(STATISTICS);

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

/** A resource's part of the schema: its inputs, and as properties its inputs and outputs. */
function resourceSpec(d: ResourceDescriptor): ResourceSpec {
  const properties: Properties = { ...d.inputs };
  for (const [key, description] of Object.entries(d.outputWords ?? {})) {
    properties[key] = { ...properties[key], description };
  }
  return {
    description: d.description,
    inputProperties: d.inputs,
    requiredInputs: [...d.requiredInputs],
    properties: { ...properties, ...d.outputs },
    required: [...d.alwaysSet],
  };
}

function functionSpec(f: FunctionDescriptor): PackageSchema["functions"][string] {
  return {
    description: f.description,
    inputs: { properties: f.arguments, required: [...f.requiredArguments] },
    outputs: { properties: f.results, required: [...f.alwaysReturned] },
  };
}

const byToken = <T extends { name: string }, S>(items: readonly T[], spec: (item: T) => S): Record<string, S> =>
  Object.fromEntries(items.map((item) => [pluginToken(item), spec(item)]));

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
    types: byToken(OBJECT_TYPES, (t) => ({
      type: "object" as const,
      description: t.description,
      properties: t.properties,
      required: [...t.required],
    })),
    resources: byToken(RESOURCE_DESCRIPTORS, resourceSpec),
    functions: byToken(FUNCTION_DESCRIPTORS, functionSpec),
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

/** The keys of resource `token` (one of {@link RESOURCE_DESCRIPTORS}), from its descriptor. */
export function resourceKeys(token: string): ResourceKeys {
  const d = RESOURCE_DESCRIPTORS.find((r) => pluginToken(r) === token);
  if (!d) throw new Error(`the oms plugin has no resource type ${JSON.stringify(token)}`);
  return {
    inputs: inputKeys(d),
    outputsOnly: outputKeys(d),
    alwaysSet: [...d.alwaysSet],
    secrets: secretKeys(d),
    replacing: replaceKeys(d),
  };
}
