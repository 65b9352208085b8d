// Hostile answers to the list, statistics and events calls: huge pages, endless or overlapping paging, series that
// are not numbers or are too long. Each ends in bounded requests as an INVALID_RESPONSE that names what was wrong.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { clientFor, seedPaused, startEmulator } from "../support/fixture";
import { failureOf as failureOfOn } from "../support/in-process";
import { TASK_KEYS, leaksIn } from "../support/secrets";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

const failureOf = (promise: Promise<unknown>) => failureOfOn(promise, emulator);
const offsets = () => emulator.requests.map((r) => new URL(r.url, "http://x").searchParams.get("offset"));
const task = (id: string) => ({ sync_task_id: id, status: "STOPPED" });
const page = (ids: string[], count: number) => JSON.stringify({ tasks: ids.map(task), count });
const T0 = Date.UTC(2027, 0, 1);
const HOUR = 3_600_000;

describe("list: pages a server should never send", () => {
  it("a page longer than the 100 asked for is refused at once", async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `t${i}`);
    emulator.inject({ operation: "list", fault: { kind: "status", status: 200, body: page(ids, 5000) } });
    const error = await failureOf(clientFor(emulator).listTasks());
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", operation: "list" });
    expect(error.message).toContain("a page holds 5000 tasks, more than the 100 asked for");
    expect(offsets()).toEqual(["0"]);
  });

  it("the same full page forever (count says more) stops at the second page: the pages overlap", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `t${i}`);
    emulator.inject({ operation: "list", fault: { kind: "status", status: 200, body: page(ids, 1e9) }, times: 1000 });
    const error = await failureOf(clientFor(emulator).listTasks());
    expect(error.message).toContain("a task was listed twice: the pages overlap");
    expect(offsets()).toEqual(["0", "100"]);
  });

  it("fresh full pages without end stop after OMS's last offset (101 requests), not with a cut list", async () => {
    for (let i = 0; i < 10_150; i += 1) seedPaused(emulator, { id: `t${String(i).padStart(5, "0")}` });
    const error = await failureOf(clientFor(emulator).listTasks());
    expect(error.message).toContain("the list kept paging past offset 10000, OMS's last");
    expect(offsets()).toEqual(Array.from({ length: 101 }, (_, i) => String(i * 100)));
  });

  it("a page that is not an object, or tasks that are not a list, is INVALID_RESPONSE", async () => {
    for (const body of ["null", "[]", JSON.stringify({ tasks: "many" })]) {
      emulator.inject({ operation: "list", fault: { kind: "status", status: 200, body } });
      const error = await failureOf(clientFor(emulator).listTasks());
      expect(error.message).toContain("the response has no tasks array");
    }
    expect(emulator.requests).toHaveLength(3);
  });
});

describe("statistics: series a server should never send", () => {
  const ask = () =>
    clientFor(emulator).taskStatistics("t1", { dataType: "SUCCESS", startTime: T0, endTime: T0 + HOUR });
  const answer = (data: unknown, extra: Record<string, unknown> = {}) =>
    emulator.inject({
      operation: "statistics",
      fault: {
        kind: "status",
        status: 200,
        body: JSON.stringify({ sync_task_id: "t1", statistic_datas: [{ data_type: "SUCCESS", data }], ...extra }),
      },
    });

  it.each([
    ["a string count", [{ time_stamp: T0, statistic_num: "12" }]],
    ["NaN spelled as null", [{ time_stamp: T0, statistic_num: null }]],
    ["a negative count", [{ time_stamp: T0, statistic_num: -1 }]],
    ["a fraction", [{ time_stamp: T0, statistic_num: 1.5 }]],
    ["a time that is text", [{ time_stamp: "yesterday", statistic_num: 1 }]],
    ["a point that is not an object", [7]],
  ])("%s is INVALID_RESPONSE naming the point", async (_what, data) => {
    answer(data);
    const error = await failureOf(ask());
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", operation: "statistics", taskId: "t1" });
    expect(error.message).toContain("point 0 of the SUCCESS series is not a time_stamp and statistic_num");
    expect(emulator.requests).toHaveLength(1);
  });

  it("a series of 1001 points (past OMS's 1000) is refused, and so is one summing past 2^53", async () => {
    answer(Array.from({ length: 1001 }, (_, i) => ({ time_stamp: T0 + i, statistic_num: 1 })));
    expect((await failureOf(ask())).message).toContain("the SUCCESS series has 1001 points, more than OMS's 1000");
    answer([
      { time_stamp: T0, statistic_num: Number.MAX_SAFE_INTEGER },
      { time_stamp: T0 + 1, statistic_num: Number.MAX_SAFE_INTEGER },
    ]);
    expect((await failureOf(ask())).message).toContain("sums past what can be counted exactly");
    expect(emulator.requests).toHaveLength(2);
  });

  it("wrong shapes: no statistic_datas, data that is not a list, a body that is not JSON", async () => {
    emulator.inject({ operation: "statistics", fault: { kind: "status", status: 200, body: "{}" } });
    expect((await failureOf(ask())).message).toContain("the response has no statistic_datas array");
    answer({ points: 3 });
    expect((await failureOf(ask())).message).toContain("the SUCCESS series has no data array");
    emulator.inject({ operation: "statistics", fault: { kind: "status", status: 200, body: "<html>" } });
    expect((await failureOf(ask())).message).toContain("the response body is not JSON");
  });

  it("a series of another type only is an empty series; a secret in statistic_time_type is dropped", async () => {
    emulator.inject({
      operation: "statistics",
      fault: {
        kind: "status",
        status: 200,
        body: JSON.stringify({
          statistic_time_type: TASK_KEYS.srcSk,
          statistic_datas: [{ data_type: "FAILURE", data: [{ time_stamp: T0, statistic_num: 9 }] }],
        }),
      },
    });
    const stats = await ask();
    expect(stats).toEqual({ syncTaskId: "t1", dataType: "SUCCESS", points: [], sum: 0 });
    expect(leaksIn(JSON.stringify(stats))).toEqual([]);
  });

  it("an endless statistics body stops at 1 MiB as INVALID_RESPONSE", async () => {
    seedPaused(emulator, { id: "t1" });
    emulator.inject({ operation: "statistics", fault: { kind: "endless" } });
    const error = await failureOf(ask());
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", operation: "statistics" });
    expect(error.message).toContain("larger than 1 MiB");
    expect(emulator.requests.filter((r) => r.taskId === "t1")).toHaveLength(1);
  });
});
