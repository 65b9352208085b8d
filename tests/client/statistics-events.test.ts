import { OmsError } from "../../provider";
import { MAX_STATISTICS_RANGE_MS } from "../../provider/client/limits";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { API_TOKEN } from "../support/secrets";
import { clientFor, PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { failureOf as failureOfOn } from "../support/in-process";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

const failureOf = (promise: Promise<unknown>) => failureOfOn(promise, emulator);
const queryOf = (url: string) => Object.fromEntries(new URL(url, "http://x").searchParams);
/** 2027-01-01T00:00:00Z and the hours after it. */
const T0 = Date.UTC(2027, 0, 1);
const HOUR = 3_600_000;

describe("OmsClient.taskStatistics", () => {
  it("sends one GET with data_type, start_time and end_time, and returns the series with its sum", async () => {
    const task = seedPaused(emulator);
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 10 * 60_000, dataType: "SUCCESS", value: 7 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 3 * HOUR, dataType: "SUCCESS", value: 5 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 3 * HOUR, dataType: "FAILURE", value: 100 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 30 * HOUR, dataType: "SUCCESS", value: 1000 });

    const stats = await clientFor(emulator).taskStatistics(task.id, {
      dataType: "SUCCESS",
      startTime: T0,
      endTime: T0 + 24 * HOUR,
    });

    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: "GET", operation: "statistics", taskId: task.id, outcome: 200 });
    expect(request.url.split("?")[0]).toBe(`/v2/${PROJECT_ID}/sync-tasks/${task.id}/statistics`);
    expect(queryOf(request.url)).toEqual({
      data_type: "SUCCESS",
      start_time: String(T0),
      end_time: String(T0 + 24 * HOUR),
    });
    expect(stats).toMatchObject({ syncTaskId: task.id, dataType: "SUCCESS", interval: "FIVE_MINUTES", sum: 12 });
    expect(stats.points).toHaveLength(288);
    expect(stats.points.filter((p) => p.value > 0)).toEqual([
      { time: T0 + 10 * 60_000, value: 7 },
      { time: T0 + 3 * HOUR, value: 5 },
    ]);
  });

  it.each([
    [{ dataType: "SUCCESSES" }, "dataType must be one of REQUEST, SUCCESS, FAILURE, SKIP, SIZE"],
    [{ dataType: undefined }, "dataType must be one of"],
    [{ startTime: 1_700_000_000 }, "startTime must be a time in epoch milliseconds (13 digits"],
    [{ endTime: Number.NaN }, "endTime must be a time in epoch milliseconds"],
    [{ endTime: T0 + 0.5 }, "endTime must be a time in epoch milliseconds"],
    [{ endTime: T0 }, "endTime must be after startTime"],
    [{ endTime: T0 - HOUR }, "endTime must be after startTime"],
    [{ endTime: T0 + MAX_STATISTICS_RANGE_MS + 1 }, "over OMS's 1000 hours"],
  ])("refuses %j before any call: %s", async (change, message) => {
    const task = seedPaused(emulator);
    const query = { dataType: "SUCCESS", startTime: T0, endTime: T0 + HOUR, ...change };
    const error = await failureOf(clientFor(emulator).taskStatistics(task.id, query as never));
    expect(error).toMatchObject({ code: "CONFIG_ERROR", operation: "statistics" });
    expect(error.message).toContain(message);
    expect(emulator.requests).toHaveLength(0);
  });

  it("accepts a range of exactly the limit, answered in hourly points", async () => {
    const task = seedPaused(emulator);
    const stats = await clientFor(emulator).taskStatistics(task.id, {
      dataType: "SIZE",
      startTime: T0,
      endTime: T0 + MAX_STATISTICS_RANGE_MS,
    });
    expect(stats).toMatchObject({ interval: "ONE_HOUR", sum: 0 });
    expect(stats.points).toHaveLength(1000);
    expect(emulator.requests.map((r) => r.outcome)).toEqual([200]);
  });

  it("reports a missing task as OMS answers it (404 OMS.1009), sent once", async () => {
    const error = await failureOf(
      clientFor(emulator).taskStatistics("no-such-task", { dataType: "SKIP", startTime: T0, endTime: T0 + HOUR }),
    );
    expect(error).toMatchObject({ code: "OMS_API_ERROR", status: 404, errorCode: "OMS.1009", operation: "statistics" });
    expect(emulator.requests).toHaveLength(1);
  });
});

describe("OmsClient.syncEvents", () => {
  it("posts the keys URL-encoded; OMS decodes the same names, and the answer carries status and request id", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const keys = ["photos/2027/a b.jpg", "日本/ü?x=1&y#z", "plain.txt"];
    const before = Date.now();
    const answer = await clientFor(emulator).syncEvents(task.id, keys);

    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: "POST", operation: "events", outcome: 200 });
    expect(request.url).toBe(`/v2/${PROJECT_ID}/sync-tasks/${task.id}/events`);
    expect(JSON.parse(request.body)).toEqual({
      object_keys: ["photos%2F2027%2Fa%20b.jpg", "%E6%97%A5%E6%9C%AC%2F%C3%BC%3Fx%3D1%26y%23z", "plain.txt"],
    });
    expect(emulator.task(PROJECT_ID, task.id)?.events.map((e) => e.objectKeys)).toEqual([keys]);
    expect(answer.status).toBe(200);
    expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.sentAt).toBeGreaterThanOrEqual(before);
  });

  it("is counted in the task's statistics: REQUEST and SUCCESS rise by the number of keys", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const client = clientFor(emulator);
    await client.syncEvents(task.id, ["a", "b"]);
    const now = Date.now();
    const success = await client.taskStatistics(task.id, {
      dataType: "SUCCESS",
      startTime: now - HOUR,
      endTime: now + HOUR,
    });
    expect(success.sum).toBe(2);
    expect(emulator.requests.map((r) => `${r.operation}:${r.outcome}`)).toEqual(["events:200", "statistics:200"]);
  });

  it("a stopped task is refused with OMS.0066, a hint to start it, and no retry", async () => {
    const task = seedPaused(emulator);
    const error = await failureOf(clientFor(emulator).syncEvents(task.id, ["a"]));
    expect(error).toMatchObject({ code: "OMS_API_ERROR", errorCode: "OMS.0066", operation: "events" });
    expect(error.message).toContain("start the task (state: started) first");
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.task(PROJECT_ID, task.id)?.events).toEqual([]);
  });

  it.each([
    ["no keys", [], "objectKeys must be a list of 1–10 object names"],
    ["11 keys", Array.from({ length: 11 }, (_, i) => `k${i}`), "objectKeys must be a list of 1–10"],
    ["a string", "a", "objectKeys must be a list"],
    ["an empty key", ["a", ""], "objectKeys[1] must be a non-empty object name"],
    ["a number", ["a", 7], "objectKeys[1] must be a non-empty object name"],
    ["1026 bytes", ["é".repeat(513)], "objectKeys[0] is longer than an object name can be (1024 bytes in UTF-8)"],
    ["a newline", ["a\nb"], "objectKeys[0] cannot contain control characters"],
  ])("refuses objectKeys with %s before any call", async (_what, keys, message) => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const error = await failureOf(clientFor(emulator).syncEvents(task.id, keys as never));
    expect(error).toMatchObject({ code: "CONFIG_ERROR", operation: "events" });
    expect(error.message).toContain(message);
    expect(emulator.requests).toHaveLength(0);
  });

  it("the emulator refuses what the client never sends: 11 keys, and keys that are not URL-encoded", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const post = (keys: unknown) =>
      fetch(`${emulator.url}/v2/${PROJECT_ID}/sync-tasks/${task.id}/events`, {
        method: "POST",
        headers: { "X-Auth-Token": API_TOKEN, "Content-Type": "application/json" },
        body: JSON.stringify({ object_keys: keys }),
      }).then(async (r) => [r.status, ((await r.json()) as { error_code: string }).error_code]);
    expect(await post(Array.from({ length: 11 }, (_, i) => `k${i}`))).toEqual([400, "OMS.0064"]);
    expect(await post(["a b"])).toEqual([400, "OMS.0064"]);
    expect(await post(["%E0%A4%A"])).toEqual([400, "OMS.0064"]);
    expect(await post(undefined)).toEqual([400, "OMS.1004"]);
    expect(emulator.task(PROJECT_ID, task.id)?.events).toEqual([]);
  });

  it("a create-like call: a 503 that OMS may have processed is not repeated", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    emulator.inject({ operation: "events", fault: { kind: "status", status: 503, body: "{}" } });
    const error = await failureOf(clientFor(emulator).syncEvents(task.id, ["a"]));
    expect(error).toBeInstanceOf(OmsError);
    expect(error.status).toBe(503);
    expect(emulator.requests).toHaveLength(1);
  });
});
