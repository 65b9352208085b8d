// What the functions share in both doors: their arguments checked as a resource's connection inputs are (defaults
// from config, then the environment), and the outcome as results or per-argument failures.
import type { OmsClient } from "../../client/oms-client";
import { checkConnection, checkKnownKeys, type Checking } from "../check";
import type { ConfigLookup, SettingProblem } from "../config";
import { clientFor, type Connection } from "../settings";

/** The connection arguments every function takes; each defaults as a resource's input does. */
export interface FunctionConnectionArgs {
  /** Project id; default config `oms:projectId`, then env `HW_PROJECT_ID`. */
  projectId?: string;
  /** Region; default config `oms:region`, then env `HW_REGION_NAME`. */
  region?: string;
  /** OMS endpoint URL; default config `oms:endpoint`, else `https://oms.{region}.myhuaweicloud.com`. */
  endpoint?: string;
}

/** A function's answer: its result, or the arguments that are wrong (nothing was sent then). */
export type Outcome<T> = { result: T; failures?: undefined } | { result?: undefined; failures: SettingProblem[] };

const CONNECTION_KEYS = ["projectId", "region", "endpoint"];

/**
 * Checks `args` against the function's own `keys` and the connection arguments, then runs `own` (the function's own
 * checks, which fill `c.inputs`), and gives a client when all passed. Never throws for bad arguments.
 */
export function checkedCall(
  name: string,
  args: unknown,
  keys: string[],
  lookup: ConfigLookup | undefined,
  own: (c: Checking) => void,
): { failures: SettingProblem[] } | { client: OmsClient; inputs: Record<string, unknown>; failures?: undefined } {
  const news = (args && typeof args === "object" && !Array.isArray(args) ? args : {}) as Record<string, unknown>;
  const c: Checking = { news, inputs: {}, failures: [], lookup };
  checkKnownKeys(c, { kind: "argument", of: name, keys: [...keys, ...CONNECTION_KEYS], quoteAll: true });
  own(c);
  checkConnection(c);
  if (c.failures.length > 0) return { failures: c.failures };
  const { projectId, region, endpoint } = c.inputs as unknown as Connection;
  return { client: clientFor({ projectId, region, endpoint }, undefined, lookup), inputs: c.inputs };
}
