// Running the lifecycles in the test's own process: the settings every such test uses, in one place.
import { stackLookup, tuning, useConfig } from "../../provider/testing";
import { FAST_RETRY } from "./fixture";
import { stackConfig } from "./stack";

/** The poll schedule shortened 25 times: waits of the production shape, in test time. */
export const TEST_POLL_SCALE = 0.04;

/** For the file's tests: a shortened poll schedule and fast retries; restored afterwards. */
export function useFastLifecycle(): void {
  beforeAll(() => {
    tuning.pollScale = TEST_POLL_SCALE;
    tuning.retry = FAST_RETRY;
  });
  afterAll(() => {
    tuning.pollScale = 1;
    tuning.retry = undefined;
  });
}

/**
 * Gives the lifecycles this stack config (as `configure` would: keys namespaced, secrets unwrapped) with `env` as
 * the environment fallback (none by default).
 */
export function useStack(
  endpoint: string,
  overrides: Record<string, string | undefined> = {},
  env: NodeJS.ProcessEnv = {},
): void {
  const config = stackConfig(endpoint, overrides);
  useConfig(stackLookup((key) => config[key], env));
}
