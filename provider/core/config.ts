import type { ApiAuth, StartKeys } from "../client/types";
import {
  CONTROL_CHARACTER,
  MAX_CDN_KEY_CHARS,
  MAX_KEY_CHARS,
  MAX_PROJECT_ID_CHARS,
  MAX_TOKEN_CHARS,
} from "../client/limits";
import { rememberSecrets } from "../errors/redact";

/** Where settings come from: the stack's `oms:*` config, and the environment variables that stand in for it. */
export interface ConfigLookup {
  /** The stack config value of `oms:<key>`; `undefined` when not set. May throw; callers turn that into a problem. */
  config(key: ConfigKey): unknown;
  /** The environment fallback for `key` ({@link ENV_FALLBACK}); `undefined` when none or not set. */
  env(key: ConfigKey): unknown;
}

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
  srcAk: MAX_KEY_CHARS,
  srcSk: MAX_KEY_CHARS,
  dstAk: MAX_KEY_CHARS,
  dstSk: MAX_KEY_CHARS,
  sourceCdnAuthenticationKey: MAX_CDN_KEY_CHARS,
  accessKey: MAX_TOKEN_CHARS,
  secretKey: MAX_TOKEN_CHARS,
  securityToken: MAX_TOKEN_CHARS,
  token: MAX_TOKEN_CHARS,
  projectId: MAX_PROJECT_ID_CHARS,
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
  return stackLookup(() => undefined, env);
}

/** Stack config (`get("oms:<key>")`) with the environment as fallback. */
export function stackLookup(get: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): ConfigLookup {
  return {
    config: (key) => get(`oms:${key}`),
    env: (key) => {
      const name = ENV_FALLBACK[key];
      const value = name === undefined ? undefined : env[name];
      return value === "" ? undefined : value;
    },
  };
}

/** API authentication keys: they come from one source as a whole (see {@link resolveApiAuth}). */
const API_AUTH_KEYS = ["accessKey", "secretKey", "securityToken", "token"] as const satisfies readonly ConfigKey[];

/** Where a value was read from, as messages name it. */
type Origin = "config" | "env";

/** One raw value and where it came from; a lookup that throws is reported, never passed on. */
function lookUp(
  lookup: ConfigLookup,
  key: ConfigKey,
  only?: Origin,
): { raw?: unknown; origin: Origin; broken?: boolean } {
  const safely = (origin: Origin): { raw?: unknown; origin: Origin; broken?: boolean } => {
    try {
      const raw = origin === "config" ? lookup.config(key) : lookup.env(key);
      return { raw: raw === null ? undefined : raw, origin };
    } catch {
      return { origin, broken: true };
    }
  };
  if (only) return safely(only);
  const fromConfig = safely("config");
  return fromConfig.raw !== undefined || fromConfig.broken ? fromConfig : safely("env");
}

function originName(key: ConfigKey, origin: Origin): string {
  return origin === "config" ? `config oms:${key}` : `environment variable ${ENV_FALLBACK[key]}`;
}

export function setCommand(key: ConfigKey): string {
  return `pulumi config set ${SECRET_KEYS.has(key) ? "--secret " : ""}oms:${key} <value>`;
}

/**
 * Reads a config string (stack config, else its environment variable; or only the one `only` names). Returns
 * `{ value }` when set and well-formed, `{}` when not set, and `{ problem }` when set to something unusable (not a
 * string, empty, surrounding whitespace, a control character, too long) or unreadable. Problems name where the
 * value came from and never quote a secret. Secret values read here are remembered by the redactor.
 */
export function readConfigString(
  lookup: ConfigLookup,
  key: ConfigKey,
  property: string,
  only?: Origin,
): { value?: string; problem?: SettingProblem } {
  const { raw, origin, broken } = lookUp(lookup, key, only);
  const where = originName(key, origin);
  const fix = origin === "config" ? `fix it with \`${setCommand(key)}\`` : `fix or unset ${ENV_FALLBACK[key]}`;
  if (broken) return { problem: { property, reason: `${where} could not be read; ${fix}` } };
  if (raw === undefined) return {};
  if (typeof raw !== "string") {
    return { problem: { property, reason: `${where} must be a string; ${fix}` } };
  }
  if (SECRET_KEYS.has(key)) rememberSecrets(raw);
  if (raw.trim() === "") {
    return { problem: { property, reason: `${where} is empty or only whitespace; ${fix}` } };
  }
  if (raw.trim() !== raw) {
    return { problem: { property, reason: `${where} has leading or trailing whitespace; ${fix}` } };
  }
  if (CONTROL_CHARACTER.test(raw)) {
    return { problem: { property, reason: `${where} contains a control character (e.g. a line break); ${fix}` } };
  }
  const max = MAX_LENGTH[key];
  if (max !== undefined && raw.length > max) {
    return {
      problem: { property, reason: `${where} is ${raw.length} characters; at most ${max} are allowed; ${fix}` },
    };
  }
  return { value: raw };
}

/**
 * The API authentication, from one source as a whole: the stack config when any of `oms:accessKey`,
 * `oms:secretKey`, `oms:securityToken`, `oms:token` is set there, else the environment. AK/SK signing when both keys
 * are set, else a token. Mixing sources would pair keys that do not belong together.
 */
export function resolveApiAuth(lookup: ConfigLookup): { auth?: ApiAuth; problems: SettingProblem[] } {
  const origin: Origin = API_AUTH_KEYS.some((key) => {
    const { raw, broken } = lookUp(lookup, key, "config");
    return raw !== undefined || broken;
  })
    ? "config"
    : "env";
  const problems: SettingProblem[] = [];
  const read = (key: ConfigKey) => {
    const result = readConfigString(lookup, key, `oms:${key}`, origin);
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
    const present: ConfigKey = accessKey ? "accessKey" : "secretKey";
    const reason =
      origin === "config"
        ? `AK/SK authentication needs both oms:accessKey and oms:secretKey in the stack config (${originName(present, origin)} is set; the environment is not consulted then); set the missing one with \`${setCommand(missing)}\``
        : `AK/SK authentication needs both ${ENV_FALLBACK.accessKey} and ${ENV_FALLBACK.secretKey} (${originName(present, origin)} is set); set ${ENV_FALLBACK[missing]}, or configure the stack with \`${setCommand(missing)}\``;
    return { problems: [{ property: `oms:${missing}`, reason }] };
  }
  if (token) return { auth: { type: "token", token }, problems };
  return {
    problems: [
      {
        property: "oms:accessKey",
        reason:
          origin === "config"
            ? "oms:securityToken is set but no oms:accessKey/oms:secretKey or oms:token; set `pulumi config set --secret oms:accessKey <AK>` and `pulumi config set --secret oms:secretKey <SK>`"
            : "no OMS API authentication is configured; set `pulumi config set --secret oms:accessKey <AK>` and `pulumi config set --secret oms:secretKey <SK>` (or HW_ACCESS_KEY/HW_SECRET_KEY), or an IAM token with `pulumi config set --secret oms:token <token>` (or HW_AUTH_TOKEN)",
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
      if (typeof inline === "string") rememberSecrets(inline);
      if (typeof inline !== "string" || inline.length > max || (!optional && inline.trim() === "")) {
        problems.push({
          property: `credentials.${field}`,
          reason: `credentials.${field} (${DESCRIPTION[field]}) must be a string of ${optional ? 0 : 1}–${max} characters`,
        });
      } else if (CONTROL_CHARACTER.test(inline)) {
        problems.push({
          property: `credentials.${field}`,
          reason: `credentials.${field} (${DESCRIPTION[field]}) contains a control character (e.g. a line break); remove it`,
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
