// SyncTaskState's check: inputs filled from config, every bad input named with its fix, preview values kept.
import fc from "fast-check";
import { lifecycle } from "../../provider";
import { UNKNOWN } from "../../provider/core/values";
import { digestOf } from "../../provider/core/start-keys";
import { holdsSecret } from "../../provider/errors/redact";
import { ALL_SECRETS, API_TOKEN, TASK_KEYS } from "../support/secrets";
import { ALL_UNKNOWN_INPUTS, PROJECT_ID } from "../support/fixture";
import { useStack as useStackOf } from "../support/in-process";

const ENDPOINT = "http://127.0.0.1:1";
const useStack = (overrides: Record<string, string | undefined> = {}, env: NodeJS.ProcessEnv = {}) =>
  useStackOf(ENDPOINT, overrides, env);

const TASK = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
async function failuresOf(news: Record<string, unknown>) {
  const result = await lifecycle.check({}, news);
  return result.failures ?? [];
}

describe("check", () => {
  beforeEach(() => useStack());

  it("fills projectId, region and endpoint from config and timeoutSeconds with 300", async () => {
    const result = await lifecycle.check({}, { syncTaskId: TASK, state: "started" });
    expect(result).toEqual({
      inputs: {
        syncTaskId: TASK,
        state: "started",
        projectId: PROJECT_ID,
        region: "cn-north-4",
        endpoint: ENDPOINT,
        timeoutSeconds: 300,
      },
    });
  });

  it("prefers explicit inputs to config", async () => {
    const result = await lifecycle.check(
      {},
      { syncTaskId: TASK, state: "paused", projectId: "p2", region: "cn-east-3", timeoutSeconds: 5 },
    );
    expect(result.inputs).toMatchObject({ projectId: "p2", region: "cn-east-3", timeoutSeconds: 5 });
    expect(result.failures).toBeUndefined();
  });

  it("falls back to HW_PROJECT_ID, HW_REGION_NAME and HW_AUTH_TOKEN", async () => {
    useStack(
      {
        "oms:projectId": undefined,
        "oms:region": undefined,
        "oms:endpoint": undefined,
        "oms:accessKey": undefined,
        "oms:secretKey": undefined,
      },
      { HW_PROJECT_ID: "env-project", HW_REGION_NAME: "cn-southwest-2", HW_AUTH_TOKEN: API_TOKEN },
    );
    const result = await lifecycle.check({}, { syncTaskId: TASK, state: "paused" });
    expect(result).toEqual({
      inputs: {
        syncTaskId: TASK,
        state: "paused",
        projectId: "env-project",
        region: "cn-southwest-2",
        timeoutSeconds: 300,
      },
    });
  });

  it.each([
    [
      { state: "started" },
      "syncTaskId",
      "syncTaskId must be the id of an existing OMS sync task (1–255 characters); got undefined",
    ],
    [{ syncTaskId: "x".repeat(256), state: "started" }, "syncTaskId", "1–255 characters"],
    [{ syncTaskId: TASK, state: "running" }, "state", 'state must be "started" or "paused"; got "running"'],
    [{ syncTaskId: TASK, state: "paused", projectId: "p".repeat(1025) }, "projectId", "at most 1024 characters"],
    [{ syncTaskId: TASK, state: "paused", timeoutSeconds: 0 }, "timeoutSeconds", "above 0"],
    [{ syncTaskId: TASK, state: "paused", timeoutSeconds: "60" }, "timeoutSeconds", 'got "60"'],
    [
      { syncTaskId: TASK, state: "paused", endpoint: "http://oms.example.com" },
      "endpoint",
      "keys would cross the network in clear text",
    ],
    [{ syncTaskId: TASK, state: "paused", stat: "paused" }, "stat", "stat is not an input of SyncTaskState"],
    [
      {
        syncTaskId: TASK,
        state: "started",
        credentials: { srcAk: "a", srcSk: "b", dstAk: "c", dstSk: "d", dstsk: "e" },
      },
      "credentials.dstsk",
      "not a start key",
    ],
  ])("fails %j on %s naming the fix", async (news, property, reason) => {
    const failures = await failuresOf(news);
    expect(failures).toEqual([{ property, reason: expect.stringContaining(reason) }]);
  });

  it("fails a region without sync tasks unless an endpoint is given", async () => {
    useStack({ "oms:endpoint": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused", region: "eu-west-0" })).toEqual([
      {
        property: "region",
        reason: expect.stringContaining(
          'OMS sync tasks exist only in cn-north-4, cn-east-3, cn-southwest-2; got "eu-west-0"',
        ),
      },
    ]);
    expect(
      await failuresOf({ syncTaskId: TASK, state: "paused", region: "eu-west-0", endpoint: "https://oms.example.com" }),
    ).toEqual([]);
  });

  it("fails a missing projectId and region with the config commands", async () => {
    useStack({ "oms:projectId": undefined, "oms:region": undefined, "oms:endpoint": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused" })).toEqual([
      { property: "projectId", reason: expect.stringContaining("pulumi config set oms:projectId <id>") },
      { property: "region", reason: expect.stringContaining("pulumi config set oms:region <region>") },
    ]);
  });

  it("names each missing start key's config key and the secret command when state is started", async () => {
    useStack({ "oms:srcSk": undefined, "oms:dstAk": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "started" })).toEqual([
      {
        property: "credentials",
        reason:
          "the source secret key for starting the task is missing; set it with `pulumi config set --secret oms:srcSk <value>` or pass credentials.srcSk",
      },
      {
        property: "credentials",
        reason:
          "the destination access key for starting the task is missing; set it with `pulumi config set --secret oms:dstAk <value>` or pass credentials.dstAk",
      },
    ]);
    expect(await failuresOf({ syncTaskId: TASK, state: "paused" })).toEqual([]);
  });

  it("checks the shape of given credentials even when the task is to stay paused", async () => {
    useStack({ "oms:srcAk": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused", credentials: { srcAk: "a".repeat(101) } })).toEqual([
      {
        property: "credentials.srcAk",
        reason: "credentials.srcAk (the source access key) must be a string of 1–100 characters",
      },
    ]);
  });

  it("takes start keys from the credentials input over config", async () => {
    useStack({ "oms:srcAk": undefined, "oms:srcSk": undefined, "oms:dstAk": undefined, "oms:dstSk": undefined });
    expect(
      await failuresOf({
        syncTaskId: TASK,
        state: "started",
        credentials: { srcAk: "a", srcSk: "b", dstAk: "c", dstSk: "d" },
      }),
    ).toEqual([]);
  });

  it("fails when no API authentication is configured, and when only half of an AK/SK pair is", async () => {
    useStack({ "oms:accessKey": undefined, "oms:secretKey": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused" })).toEqual([
      { property: "oms:accessKey", reason: expect.stringContaining("no OMS API authentication is configured") },
    ]);
    useStack({ "oms:secretKey": undefined });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused" })).toEqual([
      {
        property: "oms:secretKey",
        reason: expect.stringContaining("pulumi config set --secret oms:secretKey <value>"),
      },
    ]);
  });

  it.each([
    ["oms:srcAk", "", "is empty or only whitespace"],
    ["oms:srcSk", "   ", "is empty or only whitespace"],
    ["oms:dstAk", "a".repeat(101), "is 101 characters; at most 100"],
    ["oms:dstSk", " padded ", "has leading or trailing whitespace"],
  ])("fails config %s of the wrong shape by naming the key, never the value", async (key, value, reason) => {
    useStack({ [key]: value });
    const failures = await failuresOf({ syncTaskId: TASK, state: "started" });
    expect(failures).toEqual([{ property: "credentials", reason: expect.stringContaining(`config ${key} ${reason}`) }]);
    expect(JSON.stringify(failures)).not.toContain(value.trim() || "\u0000");
  });

  it("fails a token over 16,384 characters naming oms:token", async () => {
    useStack({ "oms:accessKey": undefined, "oms:secretKey": undefined, "oms:token": "t".repeat(16_385) });
    expect(await failuresOf({ syncTaskId: TASK, state: "paused" })).toEqual([
      {
        property: "oms:token",
        reason: expect.stringContaining("config oms:token is 16385 characters; at most 16384"),
      },
    ]);
  });

  it("accepts the preview's unknown placeholder in every input without a throw or a false failure", async () => {
    const news = ALL_UNKNOWN_INPUTS;
    expect(await lifecycle.check({}, news)).toEqual({ inputs: news });
    const partial = {
      syncTaskId: TASK,
      state: "started",
      credentials: { srcAk: UNKNOWN, srcSk: UNKNOWN, dstAk: "c", dstSk: "d" },
    };
    useStack({ "oms:srcAk": undefined, "oms:srcSk": undefined });
    expect((await lifecycle.check({}, partial)).failures).toBeUndefined();
  });

  it("never throws and never echoes a secret, whatever it is given (1,000 random inputs)", async () => {
    const anyValue = fc.oneof(
      fc.constant(UNKNOWN),
      fc.constant(null),
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.constant("x".repeat(5000)),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.anything(),
    );
    const keys = ["syncTaskId", "state", "projectId", "region", "endpoint", "credentials", "timeoutSeconds", "junk"];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), anyValue), async (news) => {
        runs += 1;
        const result = await lifecycle.check({}, news);
        expect(result.inputs).toBeDefined();
        for (const f of result.failures ?? []) {
          expect(typeof f.property).toBe("string");
          expect(f.reason.length).toBeGreaterThan(0);
        }
        expect(ALL_SECRETS.filter((s) => JSON.stringify(result).includes(s))).toEqual([]);
      }),
      { numRuns: 1000, seed: 42 },
    );
    expect(runs).toBe(1000);
  });
});

describe("what the redactor learns from a call's credentials", () => {
  beforeEach(() => useStack());

  it("learns the keys a check is given, but not a preview's placeholder for a key not known yet", async () => {
    const own = "own-srcsk-LEAKCANARY-learned-0013";
    await lifecycle.check(
      {},
      { syncTaskId: TASK, state: "started", credentials: { ...TASK_KEYS, srcSk: own, dstAk: UNKNOWN } },
    );
    expect(holdsSecret(`quoted ${own}`)).toBe(true);
    expect(holdsSecret(`quoted ${UNKNOWN}`)).toBe(false);
  });
});

describe("diff", () => {
  // The digest of the configured start keys, as the last `up` recorded it.
  const olds = {
    syncTaskId: TASK,
    state: "paused",
    projectId: PROJECT_ID,
    region: "cn-north-4",
    timeoutSeconds: 300,
    status: "STOPPED",
    startKeysDigest: digestOf(TASK_KEYS),
  };

  it("reports no change for identical inputs", async () => {
    const { status: _status, startKeysDigest: _digest, ...news } = olds;
    expect(await lifecycle.diff(TASK, olds, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each(["state", "endpoint", "timeoutSeconds", "credentials"])("updates in place when %s changes", async (key) => {
    const result = await lifecycle.diff(TASK, olds, {
      ...olds,
      [key]: key === "state" ? "started" : key === "timeoutSeconds" ? 60 : "changed",
    });
    expect(result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it.each(["syncTaskId", "projectId", "region"])("replaces when %s changes", async (key) => {
    const result = await lifecycle.diff(TASK, olds, { ...olds, [key]: "other" });
    expect(result).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: false });
  });

  it("treats an unknown value as a change", async () => {
    expect(await lifecycle.diff(TASK, olds, { ...olds, state: UNKNOWN, syncTaskId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["syncTaskId"],
      deleteBeforeReplace: false,
    });
  });
});
