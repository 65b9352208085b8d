// The faults real clouds produce, played by the emulator against the whole operation a `pulumi up` runs.
import { MIN_REQUEST_TIMEOUT_MS } from "../../provider/client/oms-client";
import { lifecycle } from "../../provider";
import { tuning } from "../../provider/testing";
import type { OmsEmulator, Operation } from "../../emulator/oms-emulator";
import { FAST_RETRY, PROJECT_ID, seedPaused } from "../support/fixture";
import { checkedInputs, emulatorPerTest, failureOf as failureOfOn } from "../support/in-process";

let emulator: OmsEmulator;
const trail = () => emulator.requests.map((r) => `${r.operation}:${r.outcome}`);

emulatorPerTest((started) => (emulator = started));

const inputsFor = (news: Record<string, unknown>) => checkedInputs(lifecycle, news);
const failureOf = (promise: Promise<unknown>) => failureOfOn(promise, emulator);

describe("transient faults: the operation succeeds", () => {
  const cases: [Operation, number][] = [];
  for (const op of ["show", "start", "stop"] as Operation[])
    for (const status of [500, 502, 503, 504]) cases.push([op, status]);

  it.each(cases)("%s answered HTTP %i three times in a row", async (op, status) => {
    const task = seedPaused(emulator, { status: op === "stop" ? "SYNCHRONIZING" : "STOPPED" });
    emulator.inject({
      operation: op,
      fault: { kind: "status", status, body: '{"error_code":"OMS.1001","error_msg":"internal"}' },
      times: 3,
    });
    const want = op === "stop" ? "paused" : "started";
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: want }));
    expect(result.outs.status).toBe(op === "stop" ? "STOPPED" : "SYNCHRONIZING");
    const transition = op === "stop" ? "stop" : "start";
    const firstShows = op === "show" ? [`show:${status}`, `show:${status}`, `show:${status}`] : [];
    const failedTransitions =
      op === transition ? [`${transition}:${status}`, `${transition}:${status}`, `${transition}:${status}`] : [];
    expect(trail()).toEqual([...firstShows, "show:200", ...failedTransitions, `${transition}:200`, "show:200"]);
  });

  it("a connection reset before the start reaches OMS: retried, one effective start", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "reset" } });
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" }));
    expect(result.outs.status).toBe("SYNCHRONIZING");
    expect(trail()).toEqual(["show:200", "start:reset", "start:200", "show:200"]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  it("a connection reset on the first GET: retried", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "reset" } });
    await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" }));
    expect(trail()).toEqual(["show:reset", "show:200", "start:200", "show:200"]);
  });

  it("a start that took effect but whose answer was lost: the retry sees OMS.0065, one effective start", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "apply-then-reset" } });
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" }));
    expect(result.outs.status).toBe("SYNCHRONIZING");
    expect(trail()).toEqual(["show:200", "start:reset", "start:400", "show:200"]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  it("a gateway's HTML page with a transient status: retried", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "html", status: 502 }, times: 2 });
    await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" }));
    expect(trail()).toEqual(["show:200", "start:502", "start:502", "start:200", "show:200"]);
  });

  it("a poll that never answers: timed out and retried within the operation", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "hang" }, times: 2 });
    // The first GET hangs too: the per-request timeout (1 s minimum near a deadline, else 2 s here) fires.
    tuning.requestTimeoutMs = 300;
    try {
      const result = await lifecycle.create(
        await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 30 }),
      );
      expect(result.outs.status).toBe("SYNCHRONIZING");
      expect(trail()).toEqual(["show:hang", "show:hang", "show:200", "start:200", "show:200"]);
    } finally {
      tuning.requestTimeoutMs = undefined;
    }
  });

  it("polls whose retries run out before the deadline: the wait goes on polling and succeeds", async () => {
    emulator.configure({ transitionDelayMs: 100 });
    const task = seedPaused(emulator);
    const inputs = await inputsFor({ syncTaskId: task.id, state: "started" });
    emulator.inject({
      operation: "show",
      fault: { kind: "status", status: 200, body: JSON.stringify({ sync_task_id: task.id, status: "STOPPED" }) },
    });
    // One poll's six attempts (first + 5 retries) and four of the next are answered 503.
    emulator.inject({ operation: "show", fault: { kind: "status", status: 503 }, times: 10 });
    const result = await lifecycle.create(inputs);
    expect(result.outs.status).toBe("SYNCHRONIZING");
    const shows = emulator.log("show").map((r) => r.outcome);
    expect(shows.slice(0, 11)).toEqual([200, ...Array(10).fill(503)]);
    expect(shows.at(-1)).toBe(200);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  it("50 resources converging at once against a gateway that throttles: all converge, one effective start each", async () => {
    emulator.configure({ throttlePerSecond: 40 });
    const tasks = Array.from({ length: 50 }, () => seedPaused(emulator));
    tuning.retry = { ...FAST_RETRY, retries: 8 };
    try {
      const results = await Promise.all(
        tasks.map(async (t) => lifecycle.create(await inputsFor({ syncTaskId: t.id, state: "started" }))),
      );
      expect(results.map((r) => r.outs.status)).toEqual(Array(50).fill("SYNCHRONIZING"));
    } finally {
      tuning.retry = FAST_RETRY;
    }
    expect(tasks.map((t) => emulator.task(PROJECT_ID, t.id)!.effectiveStarts)).toEqual(Array(50).fill(1));
    expect(emulator.requests.filter((r) => r.outcome === 429).length).toBeGreaterThan(0);
  });
});

describe("time limits", () => {
  it("a request that never answers: the whole operation ends within timeoutSeconds plus one request timeout", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "hang" }, times: 100 });
    const started = Date.now();
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 1.5 })),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1500 + MIN_REQUEST_TIMEOUT_MS + 500);
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toMatch(
      new RegExp(`^OMS show of sync task ${task.id} failed: no response within 1(\\.\\d+)? s`),
    );
  });

  it("polls that stop answering after the start: the error names the wait and the last status seen", async () => {
    emulator.configure({ transitionDelayMs: 60_000 });
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "status", status: 200, body: "" } });
    emulator.inject({
      operation: "show",
      fault: { kind: "status", status: 200, body: JSON.stringify({ sync_task_id: task.id, status: "STOPPED" }) },
    });
    emulator.inject({ operation: "show", fault: { kind: "hang" }, times: 100 });
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 1 })),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", operation: "wait" });
    expect(error.message).toContain(
      "OMS did not show status SYNCHRONIZING within 1 s (last status seen: STOPPED; OMS did not answer the last check in time)",
    );
  });
});

describe("time limits, continued", () => {
  it.each([
    ["answered 503", { kind: "status", status: 503 } as const, "the last check was answered HTTP 503"],
    ["reset", { kind: "reset" } as const, "the last check could not reach OMS"],
  ])(
    "polls %s until the deadline: the error names the wait, the last status and the fault",
    async (_name, fault, text) => {
      emulator.configure({ transitionDelayMs: 60_000 });
      const task = seedPaused(emulator);
      emulator.inject({
        operation: "show",
        fault: { kind: "status", status: 200, body: JSON.stringify({ sync_task_id: task.id, status: "STOPPED" }) },
      });
      emulator.inject({ operation: "show", fault, times: 1000 });
      const error = await failureOf(
        lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started", timeoutSeconds: 0.3 })),
      );
      expect(error).toMatchObject({ code: "TIMEOUT", operation: "wait", taskId: task.id });
      expect(error.message).toContain(`within 0.3 s (last status seen: STOPPED; ${text})`);
      expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
    },
  );
});

// Every code of the OMS error table: a 400 with it is final, never retried.
const OMS_CODES = [
  "OMS.0066",
  "OMS.0070",
  "OMS.0063",
  "OMS.0054",
  "OMS.1009",
  "OMS.0053",
  "OMS.0064",
  "OMS.0001",
  "OMS.0002",
  "OMS.0067",
  "OMS.1006",
  "OMS.1004",
  "OMS.1007",
  "OMS.0068",
  "OMS.1005",
  "OMS.0072",
  "OMS.1014",
  "OMS.1020",
  "OMS.1032",
  "OMS.1001",
  "OMS.0201",
  "OMS.0202",
  "OMS.0204",
];

describe("final faults: exactly one attempt and an error naming operation, task, code and hint", () => {
  it.each(OMS_CODES)("start answered 400 %s", async (code) => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "start",
      fault: { kind: "status", status: 400, body: JSON.stringify({ error_code: code, error_msg: "refused" }) },
    });
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" })));
    expect(trail()).toEqual(["show:200", "start:400"]);
    expect(error).toMatchObject({
      code: "OMS_API_ERROR",
      operation: "start",
      taskId: task.id,
      errorCode: code,
      status: 400,
    });
    expect(error.message).toContain(`OMS start of sync task ${task.id} failed: HTTP 400 ${code} refused`);
    expect(error.hint).toEqual(expect.any(String));
  });

  it.each(OMS_CODES.filter((c) => c !== "OMS.0066"))("stop answered 400 %s", async (code) => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    emulator.inject({
      operation: "stop",
      fault: { kind: "status", status: 400, body: JSON.stringify({ error_code: code, error_msg: "refused" }) },
    });
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "paused" })));
    expect(trail()).toEqual(["show:200", "stop:400"]);
    expect(error).toMatchObject({ operation: "stop", taskId: task.id, errorCode: code });
    expect(error.hint).toEqual(expect.any(String));
  });

  it("stop answered OMS.0066 (already paused) counts as success", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    emulator.inject({ operation: "stop", fault: { kind: "apply-then-reset" } });
    const result = await lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "paused" }));
    expect(result.outs.status).toBe("STOPPED");
    expect(trail()).toEqual(["show:200", "stop:reset", "stop:400", "show:200"]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStops).toBe(1);
  });

  const statuses: [Operation, number][] = [];
  for (const op of ["start", "stop"] as Operation[]) for (const status of [401, 403, 404]) statuses.push([op, status]);
  it.each(statuses)("%s answered HTTP %i", async (op, status) => {
    const task = seedPaused(emulator, { status: op === "stop" ? "SYNCHRONIZING" : "STOPPED" });
    emulator.inject({
      operation: op,
      fault: { kind: "status", status, body: JSON.stringify({ error_code: "APIG.0000", error_msg: "denied" }) },
    });
    const error = await failureOf(
      lifecycle.create(await inputsFor({ syncTaskId: task.id, state: op === "stop" ? "paused" : "started" })),
    );
    expect(trail()).toEqual(["show:200", `${op}:${status}`]);
    expect(error).toMatchObject({ operation: op, taskId: task.id, status, errorCode: "APIG.0000" });
    expect(error.hint).toEqual(expect.any(String));
  });

  it("a gateway's HTML page with a final status: one short readable error", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "html", status: 403 } });
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" })));
    expect(trail()).toEqual(["show:200", "start:403"]);
    expect(error.message).toContain('HTTP 403 with a non-JSON body: "403 Gateway Error"');
    expect(error.message).not.toContain("<");
  });

  it.each([
    ["malformed JSON", "{status:", "the response body is not JSON"],
    ["a task without status", '{"sync_task_id":"x"}', "has no status"],
  ])("show answered 200 with %s", async (_name, body, reason) => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "show", fault: { kind: "status", status: 200, body } });
    const error = await failureOf(lifecycle.create(await inputsFor({ syncTaskId: task.id, state: "started" })));
    expect(trail()).toEqual(["show:200"]);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", operation: "show", taskId: task.id });
    expect(error.message).toContain(reason);
  });
});
