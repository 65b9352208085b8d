// The provider's own settings: the `oms:*` stack config keys (or an explicit provider's arguments), checked, compared
// and handed to the same `configure` the dynamic resources' provider process runs, so one stack config serves both.
import {
  CheckFailure,
  CheckResponse,
  ConfigureResponse,
  DiffResponse,
  PropertyDiff,
  type CheckRequest,
  type ConfigureRequest,
  type DiffRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { readConfigString, SECRET_KEYS, stackLookup, type ConfigKey } from "../core/config";
import { useConfig } from "../core/settings";
import { isUnknown, same } from "../core/values";
import { CONFIG_WORDS } from "../core/properties";
import { received, unwrapSecrets, toStruct, type Bag } from "./values";

/** Every setting of the provider, as `oms:<key>` names it in stack config. */
export const CONFIG_KEYS = Object.keys(CONFIG_WORDS) as ConfigKey[];
/** Keys the engine adds to a provider's inputs for itself; they are not settings. */
const ENGINE_KEYS = ["version", "pluginDownloadURL", "__internal"];

const isConfigKey = (key: string): key is ConfigKey => (CONFIG_KEYS as string[]).includes(key);

/**
 * The settings of a Configure request: `args` (typed, secrets unwrapped), else `variables`, whose keys engines
 * spell `oms:config:<key>` (the older plan, still sent) or `oms:<key>`. Keys of other packages are ignored.
 */
export function settingsOf(request: ConfigureRequest): Partial<Record<ConfigKey, unknown>> {
  const settings: Partial<Record<ConfigKey, unknown>> = {};
  request.getVariablesMap().forEach((value, name) => {
    const key = /^oms:(?:config:)?([^:]+)$/.exec(name)?.[1];
    if (key !== undefined && isConfigKey(key)) settings[key] = value;
  });
  const args = (request.getArgs()?.toJavaScript() ?? {}) as Bag;
  for (const [key, value] of Object.entries(args)) {
    if (isConfigKey(key) && value !== null && value !== undefined) settings[key] = unwrapSecrets(value);
  }
  return settings;
}

/**
 * Configure: the settings become the config source of every lifecycle in this process (with the `HW_*` environment
 * variables as fallback, and every secret known to the redactor). A value still unknown in a preview stays the
 * unknown placeholder, which the lifecycles' checks take as such.
 */
export async function configureFrom(request: ConfigureRequest): Promise<ConfigureResponse> {
  const settings = settingsOf(request);
  useConfig(stackLookup((name) => settings[name.replace(/^oms:/, "") as ConfigKey]));
  const response = new ConfigureResponse();
  response.setAcceptsecrets(true);
  response.setSupportspreview(true);
  response.setAcceptresources(false);
  response.setAcceptoutputs(false);
  return response;
}

/**
 * CheckConfig: each setting that is given must be usable (a string without surrounding whitespace or control
 * characters, within its length); a failure names the `pulumi config set` line that fixes it, and never its value.
 * Missing settings are not failures here: the environment may hold them, and a resource's check names any it needs.
 * Settings that hold keys are returned as secrets, however they were set.
 */
export async function checkConfig(request: CheckRequest): Promise<CheckResponse> {
  const news = received(request.getNews());
  const lookup = stackLookup((name) => news.bag[name.replace(/^oms:/, "")], {});
  const failures: CheckFailure[] = [];
  for (const [key, value] of Object.entries(news.bag)) {
    if (!isConfigKey(key) || isUnknown(value) || value === null) continue;
    const { problem } = readConfigString(lookup, key, key, "config");
    if (!problem) continue;
    const failure = new CheckFailure();
    failure.setProperty(key);
    failure.setReason(problem.reason);
    failures.push(failure);
  }
  const response = new CheckResponse();
  response.setInputs(toStruct(news.bag, [...news.secrets, ...CONFIG_KEYS.filter((key) => SECRET_KEYS.has(key))]));
  response.setFailuresList(failures);
  return response;
}

/**
 * DiffConfig: a changed setting updates the provider and never replaces it (that would replace every resource);
 * each resource's own diff then says what the new settings mean for it (a rotated key, another project).
 */
export async function diffConfig(request: DiffRequest): Promise<DiffResponse> {
  const olds = received(request.getOlds()).bag;
  const news = received(request.getNews()).bag;
  const response = new DiffResponse();
  const changed = Object.keys({ ...olds, ...news }).filter(
    (key) => !ENGINE_KEYS.includes(key) && (isUnknown(news[key]) || !same(olds[key], news[key])),
  );
  response.setChanges(changed.length > 0 ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE);
  response.setDiffsList(changed);
  for (const key of changed) {
    const diff = new PropertyDiff();
    const kind = olds[key] === undefined ? "ADD" : news[key] === undefined ? "DELETE" : "UPDATE";
    diff.setKind(PropertyDiff.Kind[kind]);
    diff.setInputdiff(true);
    response.getDetaileddiffMap().set(key, diff);
  }
  response.setHasdetaileddiff(true);
  return response;
}
