// Running the lifecycles in the test's own process: the settings every such test uses, in one place.
import type * as pulumi from "@pulumi/pulumi";
import { OmsError } from "../../provider";
import { stackLookup, tuning, useConfig } from "../../provider/testing";
import type { EmulatorOptions, OmsEmulator } from "../../emulator/oms-emulator";
import { FAST_RETRY, startEmulator } from "./fixture";
import { everythingIn, leaksIn, signaturesIn } from "./secrets";
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

/**
 * For the file's tests: the fast lifecycle, and before each test a new emulator (handed to `use`) with the stack
 * config pointing at it; stopped after the test.
 */
export function emulatorPerTest(use: (emulator: OmsEmulator) => void, options: EmulatorOptions = {}): void {
  useFastLifecycle();
  let current: OmsEmulator | undefined;
  beforeEach(async () => {
    current = await startEmulator(options);
    use(current);
    useStack(current.url);
  });
  afterEach(() => current?.stop());
}

/** What a lifecycle's `check` makes of a program's inputs, asserted to pass, as the engine would pass them on. */
export async function checkedInputs(
  lifecycle: { check(olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> },
  news: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { inputs, failures } = await lifecycle.check({}, news);
  expect(failures).toBeUndefined();
  return inputs as Record<string, unknown>;
}

/** The failure of `promise`, asserted to be an OmsError holding no planted secret and no signature `emulator` saw. */
export async function failureOf(promise: Promise<unknown>, emulator: OmsEmulator): Promise<OmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OmsError);
  expect(leaksIn(everythingIn(error), signaturesIn(emulator.requests.map((r) => r.headers)))).toEqual([]);
  return error as OmsError;
}
