// The Node.js functions getSyncTasks and getSyncTaskStatistics as a program calls them: settings from the stack's
// oms:* config the program runs with, real HTTP to the emulator, errors that name the argument and hold no secret.
import * as pulumi from "@pulumi/pulumi";
import { getSyncTasks, getSyncTaskStatistics } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { failureOf as failureOfCall } from "../support/in-process";
import { leaksIn } from "../support/secrets";
import { stackConfig } from "../support/stack";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
  pulumi.runtime.setAllConfig(stackConfig(emulator.url));
});
afterEach(async () => {
  pulumi.runtime.setAllConfig({});
  await emulator.stop();
});

const T0 = Date.UTC(2027, 0, 1);
const HOUR = 3_600_000;
const failureOf = (promise: Promise<unknown>) => failureOfCall(promise, emulator);

describe("getSyncTasks", () => {
  it("lists with the stack's config: one signed GET per page, summaries without keys", async () => {
    seedPaused(emulator, { id: "a" });
    seedPaused(emulator, { id: "b", status: "SYNCHRONIZING" });
    const { tasks } = await getSyncTasks({ status: "STOPPED" });
    expect(tasks.map((t) => [t.syncTaskId, t.status])).toEqual([["a", "STOPPED"]]);
    expect(emulator.requests.map((r) => r.url)).toEqual([
      `/v2/${PROJECT_ID}/sync-tasks?limit=100&offset=0&status=STOPPED`,
    ]);
    expect(emulator.requests[0].headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=/);
    expect(leaksIn(JSON.stringify(tasks))).toEqual([]);
  });

  it("a bad status is a CONFIG_ERROR naming it; nothing is sent", async () => {
    const error = await failureOf(getSyncTasks({ status: "RUNNING" as never }));
    expect(error.code).toBe("CONFIG_ERROR");
    expect(error.message).toContain('getSyncTasks: status must be SYNCHRONIZING or STOPPED; got "RUNNING"');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("getSyncTaskStatistics", () => {
  it("takes Dates and epoch ms alike and returns the last day's successful objects with their sum", async () => {
    const task = seedPaused(emulator);
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + HOUR, dataType: "SUCCESS", value: 3 });
    emulator.recordTraffic(PROJECT_ID, task.id, { at: T0 + 23 * HOUR, dataType: "SUCCESS", value: 4 });
    const fromDates = await getSyncTaskStatistics({
      syncTaskId: task.id,
      dataType: "SUCCESS",
      startTime: new Date(T0),
      endTime: new Date(T0 + 24 * HOUR),
    });
    const fromMs = await getSyncTaskStatistics({
      syncTaskId: task.id,
      dataType: "SUCCESS",
      startTime: T0,
      endTime: T0 + 24 * HOUR,
    });
    expect(fromDates).toEqual(fromMs);
    expect(fromMs).toMatchObject({ syncTaskId: task.id, interval: "FIVE_MINUTES", sum: 7, startTime: T0 });
    expect(emulator.requests.map((r) => new URL(r.url, "http://x").search)).toEqual([
      `?data_type=SUCCESS&start_time=${T0}&end_time=${T0 + 24 * HOUR}`,
      `?data_type=SUCCESS&start_time=${T0}&end_time=${T0 + 24 * HOUR}`,
    ]);
  });

  it("end before start and an unknown data type are each a CONFIG_ERROR naming the argument; nothing is sent", async () => {
    const error = await failureOf(
      getSyncTaskStatistics({ syncTaskId: "t-1", dataType: "SUCCESS", startTime: T0, endTime: T0 - 1 }),
    );
    expect(error.message).toContain("getSyncTaskStatistics: endTime must be after startTime");
    const type = await failureOf(
      getSyncTaskStatistics({ syncTaskId: "t-1", dataType: "BYTES" as never, startTime: T0, endTime: T0 + 1 }),
    );
    expect(type.message).toContain('dataType must be one of REQUEST, SUCCESS, FAILURE, SKIP, SIZE; got "BYTES"');
    expect(emulator.requests).toHaveLength(0);
  });

  it("without any API credentials in config or environment, says which settings to make; nothing is sent", async () => {
    pulumi.runtime.setAllConfig(stackConfig(emulator.url, { "oms:accessKey": undefined, "oms:secretKey": undefined }));
    const error = await failureOf(
      getSyncTaskStatistics({ syncTaskId: "t-1", dataType: "SUCCESS", startTime: T0, endTime: T0 + HOUR }),
    );
    expect(error.code).toBe("CONFIG_ERROR");
    expect(error.message).toContain("oms:accessKey");
    expect(emulator.requests).toHaveLength(0);
  });
});
