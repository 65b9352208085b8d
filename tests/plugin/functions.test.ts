// The functions oms:index:getSyncTasks and oms:index:getSyncTaskStatistics through the plugin's Invoke over gRPC: the
// exact requests each sends to the emulator, what the caller gets, failures for bad arguments (nothing sent), and
// OMS's errors as the call's error, all without a planted secret.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { failureOf, NativePlugin } from "./support/native-plugin";
import { ops, SignatureLog, pluginPerFile } from "./support/stack";

let emulator: OmsEmulator;
let plugin: NativePlugin;
const signatures = new SignatureLog();
const T0 = Date.UTC(2027, 0, 1);
const HOUR = 3_600_000;
const sent = () => emulator.requests.map((r) => `${r.method} ${r.url}`);

pluginPerFile((started, own) => ([emulator, plugin] = [started, own]), { audit: signatures });

describe("oms:index:getSyncTasks", () => {
  it("reads every page (two for 150 tasks) and returns summaries without keys; the status filter is sent", async () => {
    for (let i = 0; i < 150; i += 1) {
      seedPaused(emulator, { id: `list-${String(i).padStart(3, "0")}`, status: i < 3 ? "SYNCHRONIZING" : "STOPPED" });
    }
    const all = await plugin.invoke("oms:index:getSyncTasks", {});
    expect(all.failures).toEqual([]);
    expect(sent()).toEqual([
      `GET /v2/${PROJECT_ID}/sync-tasks?limit=100&offset=0`,
      `GET /v2/${PROJECT_ID}/sync-tasks?limit=100&offset=100`,
    ]);
    const tasks = (all.result as { tasks: Record<string, unknown>[] }).tasks;
    expect(tasks).toHaveLength(150);
    expect(tasks[0]).toEqual({
      syncTaskId: "list-000",
      status: "SYNCHRONIZING",
      srcCloudType: "HuaweiCloud",
      srcRegion: "cn-north-4",
      srcBucket: "source-bucket",
      dstRegion: "cn-north-4",
      dstBucket: "destination-bucket",
      description: "",
      createTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    console.log(`getSyncTasks sent:\n  ${sent().join("\n  ")}`);

    emulator.clearLog();
    const running = await plugin.invoke("oms:index:getSyncTasks", { status: "SYNCHRONIZING" });
    expect(sent()).toEqual([`GET /v2/${PROJECT_ID}/sync-tasks?limit=100&offset=0&status=SYNCHRONIZING`]);
    expect((running.result as { tasks: { syncTaskId: string }[] }).tasks.map((t) => t.syncTaskId)).toEqual([
      "list-000",
      "list-001",
      "list-002",
    ]);
    for (let i = 0; i < 150; i += 1) emulator.removeTask(PROJECT_ID, `list-${String(i).padStart(3, "0")}`);
  });

  it("answers a bad status or an unknown argument with failures naming them, and sends nothing", async () => {
    const bad = await plugin.invoke("oms:index:getSyncTasks", { status: "RUNNING", limit: 5 });
    expect(bad.failures).toEqual([
      {
        property: "limit",
        reason: '"limit" is not an argument of getSyncTasks; arguments are status, projectId, region, endpoint',
      },
      { property: "status", reason: 'status must be SYNCHRONIZING or STOPPED; got "RUNNING"' },
    ]);
    expect(emulator.requests).toHaveLength(0);
  });

  it("a hostile list (the same page forever) is the call's error, after two requests", async () => {
    const page = JSON.stringify({
      tasks: Array.from({ length: 100 }, (_, i) => ({ sync_task_id: `t${i}`, status: "STOPPED" })),
      count: 1e9,
    });
    emulator.inject({ operation: "list", fault: { kind: "status", status: 200, body: page }, times: 100 });
    const error = await failureOf(plugin.invoke("oms:index:getSyncTasks", {}));
    expect(error?.details).toContain("a task was listed twice: the pages overlap");
    expect(emulator.requests).toHaveLength(2);
    emulator.clearFaults();
  });
});

describe("oms:index:getSyncTaskStatistics", () => {
  it("sends one statistics GET for dates given as ISO strings and returns points and their sum", async () => {
    const task = seedPaused(emulator);
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 2 * HOUR, dataType: "SUCCESS", value: 40 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 26 * HOUR, dataType: "SUCCESS", value: 2 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 5 * HOUR, dataType: "FAILURE", value: 9 });
    const { result, failures } = await plugin.invoke("oms:index:getSyncTaskStatistics", {
      syncTaskId: task.id,
      dataType: "SUCCESS",
      startTime: "2027-01-01T00:00:00Z",
      endTime: String(T0 + 48 * HOUR),
    });
    expect(failures).toEqual([]);
    expect(sent()).toEqual([
      `GET /v2/${PROJECT_ID}/sync-tasks/${task.id}/statistics?data_type=SUCCESS&start_time=${T0}&end_time=${T0 + 48 * HOUR}`,
    ]);
    console.log(`getSyncTaskStatistics sent:\n  ${sent().join("\n  ")}`);
    const stats = result as { points: { time: number; value: number }[]; sum: number };
    expect(result).toMatchObject({
      syncTaskId: task.id,
      dataType: "SUCCESS",
      startTime: T0,
      endTime: T0 + 48 * HOUR,
      interval: "ONE_HOUR",
      sum: 42,
    });
    expect(stats.points).toHaveLength(48);
    expect(stats.points.filter((p) => p.value > 0)).toEqual([
      { time: T0 + 2 * HOUR, value: 40 },
      { time: T0 + 26 * HOUR, value: 2 },
    ]);
  });

  it.each([
    [
      "an unknown data type",
      { dataType: "BYTES" },
      "dataType",
      "dataType must be one of REQUEST, SUCCESS, FAILURE, SKIP, SIZE",
    ],
    ["end before start", { endTime: "2026-12-31T00:00:00Z" }, "endTime", "endTime must be after startTime"],
    ["a range over 1000 hours", { endTime: String(T0 + 1001 * HOUR) }, "endTime", "over OMS's 1000 hours"],
    ["a time that is no date", { startTime: "yesterday" }, "startTime", "startTime must be epoch milliseconds"],
    ["a time in seconds", { startTime: "1798761600" }, "startTime", "(13 digits"],
    ["an empty task id", { syncTaskId: "" }, "syncTaskId", "syncTaskId must be the id of an existing OMS sync task"],
  ])("answers %s with a failure naming the argument, and sends nothing", async (_what, change, property, reason) => {
    const args = { syncTaskId: "t-1", dataType: "SKIP", startTime: String(T0), endTime: String(T0 + HOUR), ...change };
    const { failures } = await plugin.invoke("oms:index:getSyncTaskStatistics", args);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toContain(reason);
    expect(emulator.requests).toHaveLength(0);
  });

  it("a task OMS lacks is the call's error, naming OMS's code, sent once", async () => {
    const error = await failureOf(
      plugin.invoke("oms:index:getSyncTaskStatistics", {
        syncTaskId: "no-such-task",
        dataType: "SIZE",
        startTime: String(T0),
        endTime: String(T0 + HOUR),
      }),
    );
    expect(error?.details).toContain("OMS statistics of sync task no-such-task failed");
    expect(error?.details).toContain("OMS.1009");
    expect(ops(emulator)).toEqual(["statistics:404"]);
  });
});
