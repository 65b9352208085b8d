import type { ApiAuth, StartKeys } from "../client/types";

/** Reads one `oms:*` config value (without the `oms:` prefix); `undefined` when not set. */
export type ConfigLookup = (key: ConfigKey) => unknown;

export type ConfigKey =
  | "projectId"
  | "region"
  | "endpoint"
  | "accessKey"
  | "secretKey"
  | "securityToken"
  | "token"
  | "srcAk"
  | "srcSk"
  | "dstAk"
  | "dstSk"
  | "sourceCdnAuthenticationKey";

/** Environment variables consulted when a config key is not set. */
export const ENV_FALLBACK: Partial<Record<ConfigKey, string>> = {
  projectId: "HW_PROJECT_ID",
  region: "HW_REGION_NAME",
  accessKey: "HW_ACCESS_KEY",
  secretKey: "HW_SECRET_KEY",
  securityToken: "HW_SECURITY_TOKEN",
  token: "HW_AUTH_TOKEN",
};

/** Config keys that hold secrets: their values are never shown, and the fix is `pulumi config set --secret`. */
export const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  "accessKey",
  "secretKey",
  "securityToken",
  "token",
  "srcAk",
  "srcSk",
  "dstAk",
  "dstSk",
  "sourceCdnAuthenticationKey",
]);

const MAX_LENGTH: Partial<Record<ConfigKey, number>> = {
  srcAk: 100,
  srcSk: 100,
  dstAk: 100,
  dstSk: 100,
  sourceCdnAuthenticationKey: 255,
  token: 16_384,
  projectId: 1024,
};

/** The fields of a start call's keys, as the `credentials` input and the `oms:*` config keys name them. */
export const START_KEY_FIELDS = ["srcAk", "srcSk", "dstAk", "dstSk", "sourceCdnAuthenticationKey"] as const;

const DESCRIPTION: Record<keyof StartKeys, string> = {
  srcAk: "the source access key",
  srcSk: "the source secret key",
  dstAk: "the destination access key",
  dstSk: "the destination secret key",
  sourceCdnAuthenticationKey: "the source CDN authentication key",
};

/** One problem with a setting: the property it belongs to and what to do. Never holds a value of a secret key. */
export interface SettingProblem {
  property: string;
  reason: string;
}

/** The config lookup the provider uses before `configure` runs: environment only. */
export function envLookup(env: NodeJS.ProcessEnv = process.env): ConfigLookup {
  return (key) => {
    const name = ENV_FALLBACK[key];
    const value = name === undefined ? undefined : env[name];
    return value === "" ? undefined : value;
  };
}

/** Stack config first (`oms:<key>`), then the environment fallback. */
export function stackLookup(get: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): ConfigLookup {
  const fromEnv = envLookup(env);
  return (key) => {
    const value = get(`oms:${key}`);
    return value === undefined ? fromEnv(key) : value;
  };
}

export function setCommand(key: ConfigKey): string {
  return `pulumi config set ${SECRET_KEYS.has(key) ? "--secret " : ""}oms:${key} <value>`;
}

function source(key: ConfigKey): string {
  const env = ENV_FALLBACK[key];
  return env ? `config oms:${key} (or ${env})` : `config oms:${key}`;
}

/**
 * Reads a config string. Returns `{ value }` when set and well-formed, `{}` when not set, and `{ problem }` when set
 * to something unusable (not a string, empty, surrounding whitespace, too long). Problems never quote a secret.
 */
export function readConfigString(
  lookup: ConfigLookup,
  key: ConfigKey,
  property: string,
): { value?: string; problem?: SettingProblem } {
  const raw = lookup(key);
  if (raw === undefined || raw === null) return {};
  const fix = `fix it with \`${setCommand(key)}\``;
  if (typeof raw !== "string") {
    return { problem: { property, reason: `${source(key)} must be a string; ${fix}` } };
  }
  if (raw.trim() === "") {
    return { problem: { property, reason: `${source(key)} is empty or only whitespace; ${fix}` } };
  }
  if (raw.trim() !== raw) {
    return { problem: { property, reason: `${source(key)} has leading or trailing whitespace; ${fix}` } };
  }
  const max = MAX_LENGTH[key];
  if (max !== undefined && raw.length > max) {
    return {
      problem: { property, reason: `${source(key)} is ${raw.length} characters; at most ${max} are allowed; ${fix}` },
    };
  }
  return { value: raw };
}

/** The API authentication from config: AK/SK signing when both keys are set, else a token. */
export function resolveApiAuth(lookup: ConfigLookup): { auth?: ApiAuth; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const read = (key: ConfigKey) => {
    const result = readConfigString(lookup, key, `oms:${key}`);
    if (result.problem) problems.push(result.problem);
    return result.value;
  };
  const accessKey = read("accessKey");
  const secretKey = read("secretKey");
  const securityToken = read("securityToken");
  const token = read("token");
  if (problems.length > 0) return { problems };
  if (accessKey && secretKey) return { auth: { type: "aksk", accessKey, secretKey, securityToken }, problems };
  if (accessKey || secretKey) {
    const missing: ConfigKey = accessKey ? "secretKey" : "accessKey";
    return {
      problems: [
        {
          property: `oms:${missing}`,
          reason: `AK/SK authentication needs both oms:accessKey and oms:secretKey; set the missing one with \`${setCommand(missing)}\``,
        },
      ],
    };
  }
  if (token) return { auth: { type: "token", token }, problems };
  return {
    problems: [
      {
        property: "oms:accessKey",
        reason:
          "no OMS API authentication is configured; set `pulumi config set --secret oms:accessKey <AK>` and `pulumi config set --secret oms:secretKey <SK>` (or HW_ACCESS_KEY/HW_SECRET_KEY), or an IAM token with `pulumi config set --secret oms:token <token>` (or HW_AUTH_TOKEN)",
      },
    ],
  };
}

/**
 * The start-call keys: each field from the resource's `credentials` input when given there, else from config.
 * Reports each missing or malformed one by its config key and the command that sets it.
 */
export function resolveStartKeys(
  given: Partial<StartKeys> | undefined,
  lookup: ConfigLookup,
  isUnknown: (value: unknown) => boolean = () => false,
): { keys?: StartKeys; problems: SettingProblem[]; unknown: boolean } {
  const problems: SettingProblem[] = [];
  const keys: Partial<StartKeys> = {};
  let unknown = false;
  for (const field of START_KEY_FIELDS) {
    const inline = given?.[field];
    if (isUnknown(inline)) {
      unknown = true;
      continue;
    }
    if (inline !== undefined && inline !== null) {
      const max = MAX_LENGTH[field] as number;
      const optional = field === "sourceCdnAuthenticationKey";
      if (typeof inline !== "string" || inline.length > max || (!optional && inline.trim() === "")) {
        problems.push({
          property: `credentials.${field}`,
          reason: `credentials.${field} (${DESCRIPTION[field]}) must be a string of ${optional ? 0 : 1}–${max} characters`,
        });
      } else if (inline !== "") {
        keys[field] = inline;
      }
      continue;
    }
    const fromConfig = readConfigString(lookup, field, "credentials");
    if (fromConfig.problem) problems.push(fromConfig.problem);
    else if (fromConfig.value !== undefined) keys[field] = fromConfig.value;
    else if (field !== "sourceCdnAuthenticationKey") {
      problems.push({
        property: "credentials",
        reason: `${DESCRIPTION[field]} for starting the task is missing; set it with \`${setCommand(field)}\` or pass credentials.${field}`,
      });
    }
  }
  if (problems.length > 0 || unknown) return { problems, unknown };
  return { keys: keys as StartKeys, problems, unknown };
}
