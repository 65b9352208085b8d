// The dynamic door over the neutral core: the serialized provider's `__provider` never reaches a lifecycle, and a
// partial failure keeps it, so Pulumi's dynamic plugin can load the provider for the next operation.
import { lifecycle } from "../../provider";
import { RecordedFailure } from "../../provider/core/lifecycle";
import * as stateCore from "../../provider/core/sync-task-state/lifecycle";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedPaused } from "../support/fixture";
import { checkedInputs, emulatorPerTest, failureOf } from "../support/in-process";

let emulator: OmsEmulator;
emulatorPerTest((started) => (emulator = started));

const PROVIDER = 'exports.handler = { check: (...a) => require("pulumi-oms-sync").lifecycle.check(...a) }';

it("checks a bag that carries __provider without naming it; the core alone would refuse it as no input", async () => {
  const news = { syncTaskId: "task-1", state: "paused", __provider: PROVIDER };
  expect((await lifecycle.check({}, news)).failures).toBeUndefined();
  expect((await stateCore.check({}, news)).failures).toContainEqual({
    property: "__provider",
    reason: expect.stringMatching(/^__provider is not an input of SyncTaskState; /),
  });
});

it("keeps __provider in what a failed update records, and sends OMS nothing of it", async () => {
  const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
  const created = await lifecycle.create({
    ...(await checkedInputs(lifecycle, { syncTaskId: task.id, state: "started" })),
    __provider: PROVIDER,
  });
  expect(created.outs).not.toHaveProperty("__provider");
  emulator.configure({ transitionDelayMs: 400 });
  const news = await checkedInputs(lifecycle, { syncTaskId: task.id, state: "paused", timeoutSeconds: 0.1 });
  const error = await failureOf(lifecycle.update(task.id, created.outs, { ...news, __provider: PROVIDER }), emulator);
  expect(error).toBeInstanceOf(RecordedFailure);
  const recorded = error as RecordedFailure;
  expect(recorded.code).toBe("TIMEOUT");
  expect(recorded.id).toBe(task.id);
  expect(recorded.properties).toMatchObject({ state: "paused", status: "SYNCHRONIZING", __provider: PROVIDER });
  expect(recorded.reasons).toEqual([recorded.message]);
  expect(recorded.stack).toBe("TIMEOUT");
  expect(JSON.stringify(emulator.requests.map((r) => r.body))).not.toContain("__provider");
});
