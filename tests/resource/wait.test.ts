// The poll schedule as a pure function: simulated transitions of 1 to 120 s, no waiting.
import fc from "fast-check";
import { MAX_POLL_INTERVAL_MS, pollDelayMs } from "../../provider/core/wait";

/** Polls sent (at `sentAt` ms after the start call, each answered `rttMs` later) until one sees a status shown at T. */
function simulate(transitionMs: number, rttMs: number) {
  let sentAt = 0;
  let polls = 0;
  for (let n = 0; ; n += 1) {
    sentAt += pollDelayMs(sentAt, n);
    polls += 1;
    if (sentAt >= transitionMs) return { lagMs: sentAt + rttMs - transitionMs, polls };
    if (polls > 10_000) throw new Error("the schedule never reached T");
  }
}

describe("the poll schedule", () => {
  it("notices a status within max(1 s, 10 % of T) of OMS showing it, for every T from 1 to 120 s", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 120_000 }), fc.integer({ min: 0, max: 100 }), (t, rtt) => {
        const { lagMs } = simulate(t, rtt);
        expect(lagMs).toBeLessThanOrEqual(Math.max(1_000, 0.1 * t));
      }),
      { numRuns: 2_000, seed: 13 },
    );
  });

  it("sends at most one GET per second of waiting, plus the first three", () => {
    for (let t = 1_000; t <= 120_000; t += 500) {
      const { polls } = simulate(t, 50);
      expect(polls).toBeLessThanOrEqual(Math.ceil(t / 1_000) + 3);
    }
  });

  it("starts at once and at 250 ms, and never waits longer than its cap however long the wait", () => {
    expect([pollDelayMs(0, 0), pollDelayMs(0, 1)]).toEqual([0, 250]);
    expect(pollDelayMs(3_600_000, 500)).toBe(MAX_POLL_INTERVAL_MS);
  });
});
