// The "wait" table of `npm run bench`: how soon a converge notices the new status, and how many GETs it takes, for
// emulated transitions of T seconds, with the package's poll schedule next to the old doubling one, in one run.
import { lifecycle } from "../provider";
import { pollDelayMs } from "../provider/core/wait";
import { stackLookup, tuning, useConfig } from "../provider/testing";
import { OmsEmulator } from "../emulator/oms-emulator";

const TRANSITIONS_S = [1, 5, 20, 60];
const PROJECT_ID = "0benchwait00000000000000000000000";
const API = { accessKey: "AKBENCHWAITWAIT00000", secretKey: "bench-wait-api-secret" };
const KEYS = { srcAk: "w-src-ak", srcSk: "w-src-sk-secret", dstAk: "w-dst-ak", dstSk: "w-dst-sk-secret" };

/** The schedule before this change: the first poll at once, then 0.5 s doubling to 5 s. */
export function doublingDelayMs(_elapsedMs: number, pollNumber: number): number {
  return pollNumber === 0 ? 0 : Math.min(500 * 2 ** (pollNumber - 1), 5_000);
}

export interface WaitResult {
  transitionS: number;
  convergeMs: number;
  lagMs: number;
  lagPercent: number;
  gets: number;
  /** The bound: lag ≤ max(1 s, 10 % of T). */
  boundMet: boolean;
}

/** One converge of a paused task whose start takes `transitionS` to show, under the schedule in force. */
async function measure(transitionS: number): Promise<WaitResult> {
  const emulator = await OmsEmulator.start({ credentials: [API], transitionDelayMs: transitionS * 1000 });
  try {
    const config: Record<string, string> = {
      "oms:endpoint": emulator.url,
      "oms:region": "cn-north-4",
      "oms:projectId": PROJECT_ID,
      "oms:accessKey": API.accessKey,
      "oms:secretKey": API.secretKey,
      "oms:srcAk": KEYS.srcAk,
      "oms:srcSk": KEYS.srcSk,
      "oms:dstAk": KEYS.dstAk,
      "oms:dstSk": KEYS.dstSk,
    };
    useConfig(stackLookup((key) => config[key], {}));
    const task = emulator.seedTask({ projectId: PROJECT_ID, status: "STOPPED", keys: KEYS });
    const { inputs } = await lifecycle.check({}, { syncTaskId: task.id, state: "started", timeoutSeconds: 300 });
    const began = Date.now();
    await lifecycle.create(inputs as Record<string, unknown>);
    const ended = Date.now();
    const start = emulator.requests.find((r) => r.operation === "start")!;
    const shownAt = start.at + transitionS * 1000;
    const lagMs = ended - shownAt;
    const startIndex = emulator.requests.indexOf(start);
    const gets = emulator.requests.slice(startIndex).filter((r) => r.operation === "show").length;
    return {
      transitionS,
      convergeMs: ended - began,
      lagMs,
      lagPercent: Math.round((lagMs / (transitionS * 1000)) * 1000) / 10,
      gets,
      boundMet: lagMs <= Math.max(1000, transitionS * 100),
    };
  } finally {
    await emulator.stop();
  }
}

/**
 * Measures every T under `schedule`. The transitions run one after another (the schedule and the settings are
 * per process), so this takes about the sum of T.
 */
async function measureAll(schedule: (elapsedMs: number, pollNumber: number) => number): Promise<WaitResult[]> {
  tuning.pollSchedule = schedule;
  try {
    const results: WaitResult[] = [];
    for (const t of TRANSITIONS_S) results.push(await measure(t));
    return results;
  } finally {
    tuning.pollSchedule = undefined;
  }
}

/** Both schedules, the package's and the old one, and the lines of the table. */
export async function waitTable(progress: (line: string) => void): Promise<{ lines: string[]; results: unknown }> {
  progress(`wait: the package's schedule, T = ${TRANSITIONS_S.join(", ")} s`);
  const ours = await measureAll(pollDelayMs);
  progress("wait: the old doubling schedule, same transitions");
  const old = await measureAll(doublingDelayMs);
  const cell = (r: WaitResult) =>
    `${(r.convergeMs / 1000).toFixed(2)} s, lag ${(r.lagMs / 1000).toFixed(2)} s (${r.lagPercent} %), ${r.gets} GETs`;
  const lines = [
    "| T (emulated) | this schedule: converge, lag after OMS showed it, GETs | old doubling schedule | bound max(1 s, 10 % T) met |",
    "| --- | --- | --- | --- |",
    ...ours.map(
      (r, i) =>
        `| ${r.transitionS} s | ${cell(r)} | ${cell(old[i])} | ${r.boundMet ? "yes" : "NO"} / ${old[i].boundMet ? "yes" : "no"} |`,
    ),
  ];
  return { lines, results: { ours, old } };
}
