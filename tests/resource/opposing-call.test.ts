// A flip back while OMS is still carrying out the last flip, under both readings of OMS that its reference leaves
// open: one that reverses a change under way, and one that answers "already" from the status it shows until the change
// is done. The update converges under both, and says what happened when the time runs out first.
import { OmsError, lifecycle } from "../../provider";
import type { OmsEmulator, OpposingCall } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { everythingIn, leaksIn, signaturesIn } from "../support/secrets";
import { checkedInputs, emulatorPerTest } from "../support/in-process";

let emulator: OmsEmulator;
emulatorPerTest((started) => (emulator = started));

const checked = (news: Record<string, unknown>) => checkedInputs(lifecycle, news);
const trail = () => emulator.requests.map((r) => `${r.operation}:${r.outcome}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statusOf = (id: string) => emulator.task(PROJECT_ID, id)?.status;

/** What a failed update recorded (the partial failure's properties). */
const recordedBy = (error: unknown) => (error as { properties: Record<string, unknown> }).properties;

function expectNoLeaks(error: unknown) {
  expect(leaksIn(everythingIn(error), signaturesIn(emulator.requests.map((r) => r.headers)))).toEqual([]);
}

const FLIPS = [
  { from: "started", to: "paused", seeded: "SYNCHRONIZING", counter: "start", already: "OMS.0065" },
  { from: "paused", to: "started", seeded: "STOPPED", counter: "stop", already: "OMS.0066" },
] as const;

/**
 * A task that is `from`, then an update to `to` whose wait runs out while OMS is still changing it (the change takes
 * `delayMs`). Returns the id and what the failed update recorded.
 */
async function timedOutFlip(flip: (typeof FLIPS)[number], opposingCall: OpposingCall, delayMs: number) {
  const task = seedPaused(emulator, { status: flip.seeded, opposingCall });
  const first = await lifecycle.create(await checked({ syncTaskId: task.id, state: flip.from }));
  emulator.configure({ transitionDelayMs: delayMs });
  const failed = await lifecycle
    .update(task.id, first.outs, await checked({ syncTaskId: task.id, state: flip.to, timeoutSeconds: 0.1 }))
    .catch((e: unknown) => e);
  expect(failed).toMatchObject({ code: "TIMEOUT" });
  expect(recordedBy(failed)).toMatchObject({ state: flip.to, status: flip.seeded });
  emulator.clearLog();
  return { id: task.id, olds: recordedBy(failed) };
}

describe.each<OpposingCall>(["reverses", "refused-until-done"])("an OMS whose opposing call %s", (opposingCall) => {
  it.each(FLIPS)(
    "a timed-out flip to $to, then the program flipped back to $from: the task ends $from and stays so",
    async (flip) => {
      const { id, olds } = await timedOutFlip(flip, opposingCall, 400);
      const back = await lifecycle.update(
        id,
        olds,
        await checked({ syncTaskId: id, state: flip.from, timeoutSeconds: 3 }),
      );
      expect(back.outs).toMatchObject({ state: flip.from, status: flip.seeded });
      // Past the moment the earlier change would have completed: the flip back still holds.
      await sleep(500);
      expect(statusOf(id)).toBe(flip.seeded);
      const counters = trail().filter((t) => t.startsWith(flip.counter));
      if (opposingCall === "reverses") {
        // Taken at once, reversing the change under way: one call, no wait for the earlier change.
        expect(counters).toEqual([`${flip.counter}:200`]);
      } else {
        // Answered "already" while the earlier change was under way; sent again once OMS showed it done.
        expect(counters).toEqual([`${flip.counter}:400`, `${flip.counter}:200`]);
        expect(emulator.log(flip.counter)[0].outcome).toBe(400);
      }
      // A second up with the same program makes no call.
      emulator.clearLog();
      const next = await lifecycle.update(
        id,
        back.outs!,
        await checked({ syncTaskId: id, state: flip.from, timeoutSeconds: 3 }),
      );
      expect(trail()).toEqual([]);
      expect(next.outs).toMatchObject({ state: flip.from, status: flip.seeded });
    },
  );
});

describe("an opposing call whose answer was lost (an OMS that reverses)", () => {
  it.each(FLIPS)(
    "flipped back to $from: the retry answered already is the call's own doing, so the update waits for it, not for the earlier change",
    async (flip) => {
      const { id, olds } = await timedOutFlip(flip, "reverses", 400);
      emulator.inject({ operation: flip.counter, fault: { kind: "apply-then-reset" } });
      const back = await lifecycle.update(
        id,
        olds,
        await checked({ syncTaskId: id, state: flip.from, timeoutSeconds: 3 }),
      );
      expect(back.outs).toMatchObject({ state: flip.from, status: flip.seeded });
      expect(trail().filter((t) => t.startsWith(flip.counter))).toEqual([
        `${flip.counter}:reset`,
        `${flip.counter}:400`,
      ]);
      await sleep(500);
      expect(statusOf(id)).toBe(flip.seeded);
    },
  );
});

describe("when the earlier change outlasts the flip back's wait (an OMS that answers from the status it shows)", () => {
  it.each(FLIPS)(
    "flipped back to $from: the error says which call was answered already; the earlier call stays on record; the next up converges",
    async (flip) => {
      const { id, olds } = await timedOutFlip(flip, "refused-until-done", 1_500);
      const inputs = await checked({ syncTaskId: id, state: flip.from, timeoutSeconds: 0.2 });
      const error = (await lifecycle.update(id, olds, inputs).catch((e: unknown) => e)) as OmsError;
      expect(error).toBeInstanceOf(OmsError);
      expect(error.code).toBe("TIMEOUT");
      const earlier = flip.counter === "start" ? "stop" : "start";
      const other = flip.seeded === "SYNCHRONIZING" ? "STOPPED" : "SYNCHRONIZING";
      expect(error.message).toContain(
        `answered the ${flip.counter} with ${flip.already} (${flip.counter === "start" ? "already started" : "not in progress"}) while the earlier ${earlier} had not shown yet`,
      );
      expect(error.message).toContain(`did not show ${other} within 0.2 s (last status seen: ${flip.seeded})`);
      expect(error.message).toContain(`Recorded in state: the earlier ${earlier} as still under way`);
      // The earlier call stays on record as in flight: what a timed-out flip to `to` records.
      expect(recordedBy(error)).toMatchObject({ state: flip.to, status: flip.seeded });
      expectNoLeaks(error);
      expect(trail().filter((t) => t.startsWith(flip.counter))).toEqual([`${flip.counter}:400`]);

      // A refresh while OMS is still at it keeps the call in flight on record.
      const read = await lifecycle.read(id, recordedBy(error));
      expect(read.props).toMatchObject({ state: flip.to, status: flip.seeded });
      await sleep(1_500);
      expect(statusOf(id)).toBe(other);
      emulator.clearLog();
      const up = await lifecycle.update(id, read.props!, { ...inputs, timeoutSeconds: 3 });
      expect(up.outs).toMatchObject({ state: flip.from, status: flip.seeded });
      expect(trail().filter((t) => t.startsWith(flip.counter))).toEqual([`${flip.counter}:200`]);
      expect(statusOf(id)).toBe(flip.seeded);
    },
  );
});
