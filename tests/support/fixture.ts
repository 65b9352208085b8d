import { OmsClient, type OmsClientOptions } from "../../provider";
import { UNKNOWN } from "../../provider/core/values";
import { OmsEmulator, type EmulatorOptions, type TaskSeed } from "../../emulator/oms-emulator";
import { API_KEY, API_TOKEN, SECURITY_TOKEN, TASK_KEYS } from "./secrets";

export const PROJECT_ID = "proj0000000000000000000000000001";

/** Temporary credentials: an AK/SK pair that the emulator accepts only with its security token. */
export const TEMPORARY_AUTH = {
  type: "aksk",
  accessKey: "AKTEMPORARYCREDENTIAL",
  secretKey: API_KEY.secretKey,
  securityToken: SECURITY_TOKEN,
} as const;

/** A program whose every input is still unknown, as a preview sends it. */
export const ALL_UNKNOWN_INPUTS = Object.fromEntries(
  ["syncTaskId", "state", "projectId", "region", "endpoint", "credentials", "timeoutSeconds"].map((key) => [
    key,
    UNKNOWN,
  ]),
);

/** Retries fast enough for tests; the policy itself is the production one. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

/** An emulator that accepts the test credentials (AK/SK, AK/SK + security token, and a token). */
export function startEmulator(options: EmulatorOptions = {}): Promise<OmsEmulator> {
  return OmsEmulator.start({
    credentials: [
      API_KEY,
      { accessKey: "AKTEMPORARYCREDENTIAL", secretKey: API_KEY.secretKey, securityToken: SECURITY_TOKEN },
    ],
    tokens: [API_TOKEN],
    ...options,
  });
}

export function seedPaused(emulator: OmsEmulator, seed: Partial<TaskSeed> = {}) {
  return emulator.seedTask({ projectId: PROJECT_ID, status: "STOPPED", keys: TASK_KEYS, ...seed });
}

/** What OMS shows of a task created from AWS us-east-1 to cn-north-4, as the tests' programs declare it. */
const AWS_DEFINITION = { src_cloud_type: "AWS", src_region: "us-east-1", dst_region: "cn-north-4" };

/** A synchronizing task from AWS bucket `<name>-src` (us-east-1) to `<name>-dst` (cn-north-4); `seed` overrides. */
export function seedAwsTask(emulator: OmsEmulator, name: string, seed: Partial<TaskSeed> = {}) {
  return emulator.seedTask({
    projectId: PROJECT_ID,
    status: "SYNCHRONIZING",
    srcBucket: `${name}-src`,
    dstBucket: `${name}-dst`,
    definition: AWS_DEFINITION,
    ...seed,
  });
}

export function clientFor(emulator: OmsEmulator, options: Partial<OmsClientOptions> = {}): OmsClient {
  return new OmsClient({
    projectId: PROJECT_ID,
    endpoint: emulator.url,
    auth: { type: "aksk", ...API_KEY },
    retry: FAST_RETRY,
    requestTimeoutMs: 2_000,
    ...options,
  });
}
