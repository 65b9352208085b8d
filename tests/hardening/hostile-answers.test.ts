// Hostile, broken or slow servers met by the client and the lifecycles: each finding reproduced, with bounded time and memory.
import { OmsClient, lifecycle } from "../../provider";
import { MAX_RESPONSE_BYTES } from "../../provider/client/oms-client";
import { summarizeBody } from "../../provider/client/axios-error";
import { useConfig } from "../../provider/testing";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, TEMPORARY_AUTH, clientFor, seedPaused } from "../support/fixture";
import { API_KEY, SECURITY_TOKEN, TASK_KEYS, signaturesIn } from "../support/secrets";
import {
  checkedInputs,
  emulatorPerTest,
  failureOf as failureOfOn,
  useStack as useStackOf,
} from "../support/in-process";
import { stackConfig } from "../support/stack";

let emulator: OmsEmulator;
const trail = () => emulator.requests.map((r) => `${r.operation}:${r.outcome}`);
const signatures = () => signaturesIn(emulator.requests.map((r) => r.headers));

emulatorPerTest((started) => (emulator = started));

const useStack = (overrides: Record<string, string | undefined> = {}, env: NodeJS.ProcessEnv = {}) =>
  useStackOf(emulator.url, overrides, env);
const inputsFor = (news: Record<string, unknown>) => checkedInputs(lifecycle, news);
/** The failure of `promise`, asserted to be an OmsError that holds no key, token or signature sent. */
const failureOf = (promise: Promise<unknown>) => failureOfOn(promise, emulator);

describe("1. bodies that never finish", () => {
  it("a body dripping one byte every 200 ms ends the operation near timeoutSeconds: 3, as TIMEOUT", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "drip", intervalMs: 200 }, times: 20 });
    const started = Date.now();
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 3 })),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe("TIMEOUT");
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(3_000 + 1_000 + 1_000);
  });

  it("an endless body stops at 1 MiB as INVALID_RESPONSE naming the limit, sent once, in bounded memory", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "endless" }, times: 5 });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 3 })),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", operation: "show" });
    expect(error.message).toContain("larger than 1 MiB");
    expect(trail()).toEqual(["show:hang"]);
  });

  it("a declared 1.5 GiB body is refused before it is read", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "endless", contentLength: 1.5 * 1024 ** 3 } });
    const error = await failureOf(clientFor(emulator).showTask(task.id));
    expect(error.code).toBe("INVALID_RESPONSE");
    expect(error.message).toContain(`larger than ${MAX_RESPONSE_BYTES / 1_048_576} MiB`);
  });

  it("an oversized 200 answer is INVALID_RESPONSE naming the limit, not an API error with an empty quote", async () => {
    const task = seedPaused(emulator);
    const huge = JSON.stringify({ status: "STOPPED", description: "x".repeat(MAX_RESPONSE_BYTES) });
    emulator.inject({ fault: { kind: "status", status: 200, body: huge } });
    const error = await failureOf(clientFor(emulator).showTask(task.id));
    expect(error.code).toBe("INVALID_RESPONSE");
    expect(error.message).toContain("larger than 1 MiB");
  });
});

describe("2. error bodies are summarised in linear time", () => {
  it("160 KB of `<` is summarised in well under a second", () => {
    const started = Date.now();
    expect(summarizeBody("<".repeat(160_000))).toBe("an empty body");
    expect(summarizeBody("<a".repeat(80_000) + "<title>x")).toBe("an empty body");
    expect(summarizeBody("<title>" + "<".repeat(160_000))).toBe("an empty body");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a 400 with a 200 KB body of tags fails at once and does not block the event loop", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "start",
      fault: { kind: "status", status: 400, contentType: "text/html", body: "<".repeat(100_000) + "<b".repeat(50_000) },
    });
    const ticks = [Date.now()];
    const ticker = setInterval(() => ticks.push(Date.now()), 10);
    const started = Date.now();
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" })));
    clearInterval(ticker);
    ticks.push(Date.now());
    const longestStall = Math.max(...ticks.slice(1).map((t, i) => t - ticks[i]));
    expect(longestStall).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: "OMS_API_ERROR", status: 400 });
    expect(error.message).toContain("HTTP 400 with a non-JSON body");
  });
});

describe("3. secrets a server sends back are never shown", () => {
  it("the request's own Signature= value quoted back in error_msg and in a text body", async () => {
    const task = seedPaused(emulator);
    // The emulator cannot know the signature before the request; a 401 quoting a signature of the same shape
    // stands in, and the second request quotes the first one's real signature.
    await clientFor(emulator).showTask(task.id);
    const [sent] = signatures();
    emulator.inject({
      fault: {
        kind: "status",
        status: 401,
        body: JSON.stringify({
          error_code: "APIG.0303",
          error_msg: `Authorization: SDK-HMAC-SHA256 Signature=${sent}`,
        }),
      },
    });
    const error = await failureOf(clientFor(emulator).showTask(task.id));
    expect(error.message).not.toContain(sent);
    expect(error.errorMsg).toContain("Signature=***");
    emulator.inject({
      fault: { kind: "status", status: 401, contentType: "text/plain", body: `bad signature ${sent.toUpperCase()}` },
    });
    const text = await failureOf(clientFor(emulator).showTask(task.id));
    expect(text.message.toLowerCase()).not.toContain(sent);
  });

  it("a secret inside error_code: the code is dropped, not shown", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "start",
      fault: { kind: "status", status: 400, body: JSON.stringify({ error_code: TASK_KEYS.srcSk, error_msg: "no" }) },
    });
    const error = await failureOf(clientFor(emulator).startTask(task.id, TASK_KEYS));
    expect(error.errorCode).toBeUndefined();
    expect(error.message).toContain("HTTP 400 no");
  });

  it("an error_code of the wrong shape (a sentence, a huge string) is dropped", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      fault: { kind: "status", status: 400, body: JSON.stringify({ error_code: "x ".repeat(5000), error_msg: "m" }) },
    });
    const error = await failureOf(clientFor(emulator).showTask(task.id));
    expect(error.errorCode).toBeUndefined();
    expect(error.message.length).toBeLessThan(400);
  });

  it("an X-Request-Id carrying the security token is dropped; a well-formed one is kept", async () => {
    const task = seedPaused(emulator);
    const client = clientFor(emulator, { auth: TEMPORARY_AUTH });
    emulator.inject({
      fault: {
        kind: "status",
        status: 403,
        body: '{"error_code":"OMS.0072","error_msg":"no"}',
        headers: { "X-Request-Id": SECURITY_TOKEN },
      },
    });
    const error = await failureOf(client.showTask(task.id));
    expect(error.requestId).toBeUndefined();
    emulator.inject({
      fault: { kind: "status", status: 403, body: '{"error_code":"OMS.0072"}', headers: { "X-Request-Id": "abc123" } },
    });
    expect((await failureOf(client.showTask(task.id))).requestId).toBe("abc123");
  });

  it("a start key echoed in the error of the poll that follows the start is masked", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "show",
      after: 1,
      times: 1,
      fault: {
        kind: "status",
        status: 400,
        body: JSON.stringify({ error_code: "OMS.0064", error_msg: `keys ${TASK_KEYS.dstSk} ${TASK_KEYS.srcAk}` }),
      },
    });
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" })));
    expect(trail()).toEqual(["show:200", "start:200", "show:400"]);
    expect(error.errorMsg).toBe("keys *** ***");
  });

  it("a status holding a key, or 5 MB long, is INVALID_RESPONSE and never reaches outputs or messages", async () => {
    const task = seedPaused(emulator);
    for (const status of [`STOPPED ${TASK_KEYS.srcSk}`, "S".repeat(5_000_000), TASK_KEYS.srcSk.toUpperCase()]) {
      emulator.inject({ fault: { kind: "status", status: 200, body: JSON.stringify({ status }) } });
      const error = await failureOf(
        lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "paused", timeoutSeconds: 5 })),
      );
      expect(error.code).toBe("INVALID_RESPONSE");
      expect(error.message.length).toBeLessThan(400);
    }
  });

  it("a malformed status seen while waiting is never quoted in the TIMEOUT message", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "show",
      after: 1,
      times: 100,
      fault: { kind: "status", status: 200, body: JSON.stringify({ status: "RUNNING" }) },
    });
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 0.3 })),
    );
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toContain("last status seen: RUNNING");
  });
});

describe("4. refresh drops a resource only when OMS says the task is gone", () => {
  it.each([
    ["an HTML 404 page", { kind: "html", status: 404 } as const],
    ["an empty 404", { kind: "status", status: 404, body: "" } as const],
    ["a JSON 404 without error_code", { kind: "status", status: 404, body: '{"message":"Not Found"}' } as const],
    [
      "a gateway 404",
      { kind: "status", status: 404, body: '{"error_code":"APIG.0101","error_msg":"no api"}' } as const,
    ],
  ])("%s is an error naming the endpoint; the resource stays", async (_label, fault) => {
    const task = seedPaused(emulator);
    const stored = await inputsFor({ syncTaskId: task.id, state: "paused" });
    emulator.inject({ fault });
    const error = await failureOf(lifecycle.read(task.id, stored));
    expect(error).toMatchObject({ code: "OMS_API_ERROR", status: 404 });
    expect(error.message).toContain(`${emulator.url} answered 404 without an OMS error code`);
  });

  it.each([
    [404, "OMS.1009"],
    [400, "OMS.1009"],
    [400, "OMS.0054"],
  ])("HTTP %i with %s means gone: an empty id", async (status, code) => {
    const task = seedPaused(emulator);
    const stored = await inputsFor({ syncTaskId: task.id, state: "paused" });
    emulator.inject({ fault: { kind: "status", status, body: JSON.stringify({ error_code: code, error_msg: "x" }) } });
    expect(await lifecycle.read(task.id, stored)).toEqual({ id: "" });
  });
});

describe("6. every failure leaving the package is an OmsError", () => {
  it("last_start_time 1e20 (a time JavaScript cannot show) is ignored; the operation succeeds", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    emulator.inject({
      fault: { kind: "status", status: 200, body: JSON.stringify({ status: "SYNCHRONIZING", last_start_time: 1e20 }) },
    });
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" }));
    expect(result.outs).toMatchObject({ status: "SYNCHRONIZING" });
    expect(result.outs.lastStartTime).toBeUndefined();
  });

  it("OmsClient given a non-string project id, task id or auth: CONFIG_ERROR, nothing sent", async () => {
    const bad = (options: unknown) => () => new OmsClient(options as never);
    for (const options of [
      undefined,
      { projectId: 42, endpoint: emulator.url, auth: { type: "aksk", ...API_KEY } },
      { projectId: "..", endpoint: emulator.url, auth: { type: "aksk", ...API_KEY } },
      { projectId: PROJECT_ID, endpoint: emulator.url, auth: { type: "aksk", accessKey: 1, secretKey: "x" } },
      { projectId: PROJECT_ID, endpoint: emulator.url, auth: { type: "magic" } },
      { projectId: PROJECT_ID, region: { toString: () => "cn-north-4" }, auth: { type: "aksk", ...API_KEY } },
    ]) {
      expect(bad(options)).toThrow(expect.objectContaining({ code: "CONFIG_ERROR" }));
    }
    // A region that is no host name is refused only when it would become one: an endpoint makes it irrelevant.
    expect(() => clientFor(emulator, { region: "Not A Region" })).not.toThrow();
    expect(bad({ projectId: PROJECT_ID, region: "Not A Region", auth: { type: "aksk", ...API_KEY } })).toThrow(
      "region must look like cn-north-4",
    );
    const client = clientFor(emulator);
    for (const id of [42, null, "", ".", "..", "a/b", "a\\b", "a b", "a\nb", "x".repeat(256)]) {
      const error = await failureOf(client.showTask(id as string));
      expect(error.code).toBe("CONFIG_ERROR");
    }
    for (const keys of [undefined, "keys", { ...TASK_KEYS, srcSk: 5 }]) {
      expect((await failureOf(client.startTask("t-1", keys as never))).code).toBe("CONFIG_ERROR");
    }
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("7–8. check refuses ids that would become other paths, and control characters", () => {
  it.each([".", "..", "a/b", "a\\b", "a b", "a\tb", "a\u0000b", "a\rb"])("syncTaskId %j", async (id) => {
    const { failures } = await lifecycle.check({}, { syncTaskId: id, state: "paused" });
    expect(failures).toEqual([{ property: "syncTaskId", reason: expect.stringMatching(/^syncTaskId cannot/) }]);
  });

  it.each(["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:dstSk", "oms:projectId"])(
    "a CR, LF or NUL in %s is a failure naming the key, never quoting it",
    async (key) => {
      for (const char of ["\r", "\n", "\u0000"]) {
        const value = `ok${char}value-LEAKCANARY`;
        useStack({ [key]: value });
        const { failures } = await lifecycle.check({}, { syncTaskId: "t-1", state: "started" });
        const text = JSON.stringify(failures);
        expect(text).toContain(`config ${key} contains a control character`);
        expect(text).not.toContain("value-LEAKCANARY");
      }
    },
  );

  it("a control character in a credentials field is a failure naming the field", async () => {
    const { failures } = await lifecycle.check(
      {},
      {
        syncTaskId: "t-1",
        state: "started",
        credentials: { ...TASK_KEYS, dstSk: "abc\ndef-LEAKCANARY" },
      },
    );
    expect(failures).toEqual([
      { property: "credentials.dstSk", reason: expect.stringContaining("contains a control character") },
    ]);
    expect(JSON.stringify(failures)).not.toContain("LEAKCANARY");
  });
});

describe("9. check never throws", () => {
  const hostile: [string, () => unknown][] = [
    [
      "a getter that throws",
      () =>
        Object.defineProperty({ state: "paused" }, "syncTaskId", {
          enumerable: true,
          get: () => {
            throw new Error(`boom ${TASK_KEYS.srcSk}`);
          },
        }),
    ],
    [
      "a Proxy that throws on every trap",
      () =>
        new Proxy(
          {},
          {
            get: () => {
              throw new Error("trap");
            },
            ownKeys: () => {
              throw new Error("trap");
            },
          },
        ),
    ],
    [
      "credentials as a throwing Proxy",
      () => ({
        syncTaskId: "t-1",
        state: "started",
        credentials: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error("x");
            },
          },
        ),
      }),
    ],
  ];

  it.each(hostile)("on %s: a failure, no throw, nothing quoted", async (_label, make) => {
    const result = await lifecycle.check({}, make() as Record<string, unknown>);
    expect(result.failures?.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain(TASK_KEYS.srcSk);
  });

  it("on a config lookup that throws: a failure naming the key", async () => {
    useConfig({
      config: (key) => {
        if (key === "secretKey") throw new Error(`cannot decrypt ${API_KEY.secretKey}`);
        return stackConfig(emulator.url)[`oms:${key}`];
      },
      env: () => undefined,
    });
    const { failures } = await lifecycle.check({}, { syncTaskId: "t-1", state: "paused" });
    expect(failures).toEqual([
      { property: "oms:secretKey", reason: expect.stringContaining("config oms:secretKey could not be read") },
    ]);
    expect(JSON.stringify(failures)).not.toContain(API_KEY.secretKey);
  });
});

describe("10. API authentication comes from one source as a whole", () => {
  it("oms:token in config and a stray HW_ACCESS_KEY in the environment: the token is used, no failure", async () => {
    useStack(
      { "oms:accessKey": undefined, "oms:secretKey": undefined, "oms:token": "token-LEAKCANARY-iam-0003" },
      {
        HW_ACCESS_KEY: "AKSTRAY",
      },
    );
    const task = seedPaused(emulator);
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "paused" }));
    expect(result.outs.status).toBe("STOPPED");
    expect(emulator.requests[0].headers["x-auth-token"]).toBe("token-LEAKCANARY-iam-0003");
  });

  it("oms:accessKey in config and HW_SECRET_KEY in the environment do not pair: a failure naming config", async () => {
    useStack({ "oms:secretKey": undefined }, { HW_SECRET_KEY: API_KEY.secretKey });
    const { failures } = await lifecycle.check({}, { syncTaskId: "t-1", state: "paused" });
    expect(failures).toEqual([
      {
        property: "oms:secretKey",
        reason: expect.stringContaining("needs both oms:accessKey and oms:secretKey in the stack config"),
      },
    ]);
  });

  it("a malformed value from the environment is named by its variable, not by a config key", async () => {
    useStack(
      { "oms:accessKey": undefined, "oms:secretKey": undefined },
      {
        HW_ACCESS_KEY: " AKPADDED",
        HW_SECRET_KEY: API_KEY.secretKey,
      },
    );
    const { failures } = await lifecycle.check({}, { syncTaskId: "t-1", state: "paused" });
    expect(failures).toEqual([
      {
        property: "oms:accessKey",
        reason: "environment variable HW_ACCESS_KEY has leading or trailing whitespace; fix or unset HW_ACCESS_KEY",
      },
    ]);
  });
});

describe("11. what the README says about a rerun after a timeout", () => {
  it("a rerun right after a timeout sends one more start, answered OMS.0065: still one effective start", async () => {
    const task = seedPaused(emulator);
    emulator.configure({ transitionDelayMs: 1_500 });
    const inputs = await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 0.3 });
    expect((await failureOf(lifecycle.create(inputs))).code).toBe("TIMEOUT");
    emulator.clearLog();
    await lifecycle.create({ ...inputs, timeoutSeconds: 5 });
    expect(trail().slice(0, 2)).toEqual(["show:200", "start:400"]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });
});
