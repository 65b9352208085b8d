import { OmsError, type RetryEvent } from "../../provider";
import { isTransientFailure, retryDelayMs, DEFAULT_RETRY_OPTIONS } from "../../provider/client/retry";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { TASK_KEYS } from "../support/secrets";
import { clientFor, PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import type { AxiosError } from "axios";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

const outcomes = () => emulator.requests.map((r) => r.outcome);

describe("retries of transient faults", () => {
  it.each([500, 502, 503, 504])(
    "retries HTTP %i three times on show and then succeeds (4 requests)",
    async (status) => {
      const task = seedPaused(emulator);
      emulator.inject({
        fault: { kind: "status", status, body: '{"error_code":"OMS.1001","error_msg":"internal"}' },
        times: 3,
      });
      await expect(clientFor(emulator).showTask(task.id)).resolves.toMatchObject({ status: "STOPPED" });
      expect(outcomes()).toEqual([status, status, status, 200]);
    },
  );

  it("retries a 503 on start and the task is started exactly once", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "status", status: 503 }, times: 2 });
    await expect(clientFor(emulator).startTask(task.id, TASK_KEYS)).resolves.toBe("requested");
    expect(outcomes()).toEqual([503, 503, 200]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  it("re-signs every attempt: each retry carries its own verified signature", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status: 502 }, times: 1 });
    await clientFor(emulator)
      .stopTask(task.id)
      .catch(() => undefined);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests.every((r) => /Signature=[0-9a-f]{64}$/.test(r.headers.authorization ?? ""))).toBe(true);
    expect(outcomes()).toEqual([502, 400]); // the retry reached OMS and was authenticated (OMS.0066: already paused)
  });

  it("retries a connection reset on show (2 requests)", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "reset" } });
    await expect(clientFor(emulator).showTask(task.id)).resolves.toMatchObject({ status: "STOPPED" });
    expect(outcomes()).toEqual(["reset", 200]);
  });

  it("treats a start whose answer was lost as done: the retry sees OMS.0065 and there is one effective start", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "apply-then-reset" } });
    // Its own start, not one made before it: "requested", as the first attempt's answer would have said.
    await expect(clientFor(emulator).startTask(task.id, TASK_KEYS)).resolves.toBe("requested");
    expect(outcomes()).toEqual(["reset", 400]);
    expect(emulator.task(PROJECT_ID, task.id)).toMatchObject({ status: "SYNCHRONIZING", effectiveStarts: 1 });
  });

  it("times out a request that never answers and retries it", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "hang" } });
    await expect(clientFor(emulator, { requestTimeoutMs: 200 }).showTask(task.id)).resolves.toMatchObject({
      status: "STOPPED",
    });
    expect(outcomes()).toEqual(["hang", 200]);
  });

  it("honours Retry-After in seconds on 429", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "throttle", retryAfter: "1" } });
    const started = Date.now();
    await clientFor(emulator).showTask(task.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(outcomes()).toEqual([429, 200]);
  });

  it("honours Retry-After as an HTTP date on 429", async () => {
    const task = seedPaused(emulator);
    // HTTP dates have one-second resolution: two seconds ahead means at least one second of waiting.
    emulator.inject({ fault: { kind: "throttle", retryAfter: new Date(Date.now() + 2000).toUTCString() } });
    const events: RetryEvent[] = [];
    const started = Date.now();
    await clientFor(emulator, { onRetry: (e) => events.push(e) }).showTask(task.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ operation: "show", taskId: task.id, retryNumber: 1, reason: "HTTP 429" });
    expect(events[0].delayMs).toBeGreaterThanOrEqual(950);
  });

  it("backs off on 429 without Retry-After and succeeds", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "throttle" }, times: 2 });
    await clientFor(emulator).showTask(task.id);
    expect(outcomes()).toEqual([429, 429, 200]);
  });

  it("gives up after the configured retries with the last status", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status: 503 }, times: 10 });
    const error = await clientFor(emulator, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } })
      .showTask(task.id)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OMS_API_ERROR", status: 503, transient: true });
    expect(outcomes()).toEqual([503, 503, 503]);
  });

  it("starts no retry past the call's deadline", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status: 503 }, times: 10 });
    const error = await clientFor(emulator)
      .showTask(task.id, { deadline: Date.now() - 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmsError);
    expect(outcomes()).toEqual([503]);
  });
});

describe("failures that are never retried", () => {
  it.each([
    [400, '{"error_code":"OMS.0064","error_msg":"Invalid request parameters."}'],
    [401, '{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information"}'],
    [403, '{"error_code":"OMS.0072","error_msg":"No permission."}'],
    [404, '{"error_code":"OMS.1009","error_msg":"The resource is not found."}'],
    [405, ""],
    [501, ""],
  ])("sends a request answered %i exactly once", async (status, body) => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status, body } });
    await expect(clientFor(emulator).showTask(task.id)).rejects.toMatchObject({
      code: "OMS_API_ERROR",
      status,
      transient: false,
    });
    expect(outcomes()).toEqual([status]);
  });

  it("sends a start with the wrong source keys exactly once", async () => {
    const task = seedPaused(emulator);
    await expect(clientFor(emulator).startTask(task.id, { ...TASK_KEYS, srcSk: "wrong-secret" })).rejects.toMatchObject(
      {
        errorCode: "OMS.1014",
      },
    );
    expect(outcomes()).toEqual([400]);
  });

  it("reports a host that does not resolve as a NETWORK_ERROR naming the cause", async () => {
    const error = await clientFor(emulator, { endpoint: "https://oms.invalid" })
      .showTask("t")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK_ERROR" });
    expect((error as Error).message).toMatch(/could not reach oms\.invalid \((ENOTFOUND|EAI_AGAIN)\)/);
  });
});

describe("retry policy (pure)", () => {
  const axiosError = (status?: number, code?: string) =>
    ({ response: status === undefined ? undefined : { status }, code }) as AxiosError;

  it("classifies each case by one rule", () => {
    expect([429, 500, 502, 503, 504].map((s) => isTransientFailure(axiosError(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 405, 409, 501].map((s) => isTransientFailure(axiosError(s)))).toEqual(
      Array(7).fill(false),
    );
    expect(
      ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN"].map((c) => isTransientFailure(axiosError(undefined, c))),
    ).toEqual([true, true, true, true]);
    expect(["ENOTFOUND", "ERR_CANCELED"].map((c) => isTransientFailure(axiosError(undefined, c)))).toEqual([
      false,
      false,
    ]);
  });

  it("doubles from the base, caps, jitters within half the step, and floors at Retry-After", () => {
    const opts = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 0, opts, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, 0, opts, () => 0))).toEqual([50, 100, 200]);
    expect(retryDelayMs(1, 3000, opts, () => 0)).toBe(3000);
    expect(retryDelayMs(1, 3000, opts, () => 1)).toBe(3050);
    expect(retryDelayMs(1, 60_000, opts, () => 0)).toBe(5000);
  });
});
