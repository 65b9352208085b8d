import { API_KEY, TASK_KEYS } from "./secrets";
import { PROJECT_ID } from "./fixture";

/** A stack's `oms:*` config as the engine would send it (keys namespaced, secrets already unwrapped). */
export function stackConfig(
  endpoint: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const config: Record<string, string | undefined> = {
    "oms:endpoint": endpoint,
    "oms:region": "cn-north-4",
    "oms:projectId": PROJECT_ID,
    "oms:accessKey": API_KEY.accessKey,
    "oms:secretKey": API_KEY.secretKey,
    "oms:srcAk": TASK_KEYS.srcAk,
    "oms:srcSk": TASK_KEYS.srcSk,
    "oms:dstAk": TASK_KEYS.dstAk,
    "oms:dstSk": TASK_KEYS.dstSk,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
