// `npm run bench`: bytes of state, API calls, cold start, overhead and concurrency of SyncTaskState, next to a naive
// dynamic provider, all through Pulumi's own dynamic-provider plugin against the OMS emulator. Not part of npm test.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { OmsEmulator } from "../emulator/oms-emulator";
import {
  createLinkedProgram,
  createPackedProgram,
  registrationsOf,
  REPO,
  runProgram,
  type Registration,
} from "../tests/support/packed-program";
import { ProviderPlugin } from "../tests/support/plugin";
import { lifecycle } from "../provider";
import { stackLookup, useConfig } from "../provider/testing";
import { waitTable } from "./wait-bench";
import { pluginFigures } from "./plugin-bench";

const PROJECT = "start-task";
const PROJECT_ID = "0benchproject0000000000000000000";
const API = { accessKey: "AKBENCHBENCHBENCH000", secretKey: "bench-api-secret-key" };
const TOKEN = "bench-iam-token-secret";
const KEYS = {
  srcAk: "bench-src-ak",
  srcSk: "bench-src-sk-secret",
  dstAk: "bench-dst-ak",
  dstSk: "bench-dst-sk-secret",
};
const SECRETS = [API.secretKey, TOKEN, KEYS.srcSk, KEYS.dstSk];
const OVERHEAD_SAMPLES = 60;
const CONCURRENCY = [1, 10, 100, 500];
const LATENCY_MS = 50;
const CONCURRENCY_RUNS = 3;

type Props = Record<string, unknown>;

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]) };
}
const round = (n: number) => Math.round(n * 100) / 100;
const fmt = (s: Stats, unit = "ms") => `${s.median} ${unit} (${s.min}–${s.max})`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

function progress(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

interface Subject {
  name: string;
  registration: (taskId: string, state: string) => Registration;
  config: Record<string, string>;
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  if (process.argv.includes("--wait-only")) {
    const { lines } = await waitTable(progress);
    console.log(["", ...lines].join("\n"));
    return;
  }
  progress("packing the package and installing it into a throwaway program");
  const program = createPackedProgram();
  const linked = createLinkedProgram();
  const emulator = await OmsEmulator.start({ credentials: [API], tokens: [TOKEN] });
  const cleanups: (() => void)[] = [
    () => fs.rmSync(path.dirname(program.dir), { recursive: true, force: true }),
    () => fs.rmSync(linked, { recursive: true, force: true }),
  ];
  // The naive program lives in the program directory as local files, as a user's would.
  for (const file of ["naive-provider.js", "naive-program.js"]) {
    fs.copyFileSync(path.join(__dirname, file), path.join(program.dir, file));
  }

  const oursConfig = {
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
  const ours: Subject = {
    name: "pulumi-oms-sync",
    config: oursConfig,
    registration: (taskId, state) =>
      runProgram(program.dir, "start-task", PROJECT, { ...oursConfig, syncTaskId: taskId, state })[0],
  };
  const naiveConfig = { endpoint: emulator.url, projectId: PROJECT_ID, token: TOKEN, ...KEYS };
  const naive: Subject = {
    name: "naive baseline",
    config: {},
    registration: (taskId, state) =>
      registrationsOf(program.dir, "naive-program.js", "naive", { ...naiveConfig, syncTaskId: taskId, state })[0],
  };

  const results: Record<string, unknown> = {};
  const waitLines: string[] = [];
  const table: [string, string, string][] = [];
  const pluginRows: [string, string, string][] = [];
  const row = (what: string, a: string, b: string) => table.push([what, a, b]);

  try {
    // Bytes of state.
    progress("measuring __provider");
    const oursReg = ours.registration("size-probe", "paused");
    const linkedReg = runProgram(linked, "start-task", PROJECT, {
      ...oursConfig,
      syncTaskId: "size-probe",
      state: "paused",
    })[0];
    const naiveReg = naive.registration("size-probe", "paused");
    const size = (r: Registration) => Buffer.byteLength(String(r.inputs.__provider));
    row("__provider bytes per resource, installed from tarball", `${size(oursReg)}`, `${size(naiveReg)}`);
    row("__provider bytes per resource, repo example (linked checkout)", `${size(linkedReg)}`, "—");
    const inState = (r: Registration) => SECRETS.filter((s) => JSON.stringify(r.inputs).includes(s)).length;
    row("secrets in plain text in state (of 4 planted)", `${inState(oursReg)}`, `${inState(naiveReg)}`);
    results.providerBytes = { installed: size(oursReg), linkedRepo: size(linkedReg), naive: size(naiveReg) };
    results.plaintextSecretsInState = { ours: inState(oursReg), naive: inState(naiveReg) };

    // Cold start: spawn → first Check answered.
    progress("measuring plugin cold start");
    const cold: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [plugin, ms] = await timed(async () => {
        const p = await ProviderPlugin.start(program.dir, String(oursReg.inputs.__provider));
        await p.configure(oursConfig, []);
        await p.check({}, oursReg.inputs);
        return p;
      });
      plugin.stop();
      cold.push(ms);
    }
    row("plugin cold start: spawn → first Check answered", fmt(stats(cold)), "same plugin");
    results.coldStartMs = stats(cold);

    const plugins: Record<string, ProviderPlugin> = {};
    for (const subject of [ours, naive]) {
      const reg = subject === ours ? oursReg : naiveReg;
      plugins[subject.name] = await ProviderPlugin.start(program.dir, String(reg.inputs.__provider));
      await plugins[subject.name].configure(subject.config, []);
    }

    // API requests per operation.
    progress("counting API requests per operation");
    const counts: Record<string, Record<string, string>> = {};
    for (const subject of [ours, naive]) {
      const p = plugins[subject.name];
      const c: Record<string, string> = {};
      const count = async (label: string, work: () => Promise<unknown>) => {
        const before = emulator.requests.length;
        try {
          await work();
          c[label] = String(emulator.requests.length - before);
        } catch (error) {
          const detail = String((error as { details?: string }).details ?? error);
          c[label] = `${emulator.requests.length - before}, then fails: "${detail.slice(0, 40)}"`;
        }
      };
      const paused = emulator.seedTask({ projectId: PROJECT_ID, status: "STOPPED", keys: KEYS });
      let stored: { id: string; outs: Props; inputs: Props } | undefined;
      await count("create that converges a stopped task", async () => {
        const checked = await p.check({}, subject.registration(paused.id, "started").inputs);
        const created = await p.create(checked.inputs);
        stored = { id: created.id, outs: created.properties, inputs: checked.inputs };
      });
      const running = emulator.seedTask({ projectId: PROJECT_ID, status: "SYNCHRONIZING", keys: KEYS });
      await count("create on an already synchronizing task", async () => {
        const checked = await p.check({}, subject.registration(running.id, "started").inputs);
        await p.create(checked.inputs);
      });
      await count("up with nothing changed (check + diff)", async () => {
        const checked = await p.check(stored!.inputs, subject.registration(paused.id, "started").inputs);
        const diff = await p.diff(stored!.id, stored!.outs, checked.inputs);
        // DIFF_UNKNOWN (no diff method): the engine compares inputs itself; unchanged inputs mean no update.
        const changed =
          diff.changes === 2 ||
          (diff.changes === 0 && JSON.stringify(checked.inputs) !== JSON.stringify(stored!.inputs));
        if (changed) await p.update(stored!.id, stored!.outs, checked.inputs);
      });
      await count("state flip (started → paused)", async () => {
        const checked = await p.check(stored!.inputs, subject.registration(paused.id, "paused").inputs);
        stored = {
          id: stored!.id,
          outs: await p.update(stored!.id, stored!.outs, checked.inputs),
          inputs: checked.inputs,
        };
      });
      // The task is started in the console behind the stack's back; does refresh notice?
      emulator.setStatus(PROJECT_ID, paused.id, "SYNCHRONIZING");
      let noticed = false;
      await count("refresh", async () => {
        const read = await p.read(stored!.id, stored!.outs, stored!.inputs);
        noticed = read.properties.state === "started";
      });
      c["refresh notices a task started in the console"] = noticed ? "yes" : "no";
      await count("destroy", () => p.delete(stored!.id, stored!.outs));
      counts[subject.name] = c;
    }
    for (const label of Object.keys(counts[ours.name])) {
      row(
        label.startsWith("refresh notices") ? label : `API requests: ${label}`,
        counts[ours.name][label],
        counts[naive.name][label] ?? "—",
      );
    }
    results.apiRequests = counts;

    // Overhead per operation with zero latency (plugin round trip over gRPC, median of many).
    progress(`measuring per-operation overhead (${OVERHEAD_SAMPLES} samples each)`);
    const p = plugins[ours.name];
    const task = emulator.seedTask({ projectId: PROJECT_ID, status: "SYNCHRONIZING", keys: KEYS });
    const inputs = (await p.check({}, ours.registration(task.id, "started").inputs)).inputs;
    const created = await p.create(inputs);
    const overhead: Record<string, Stats> = {};
    const sample = async (label: string, work: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < OVERHEAD_SAMPLES; i += 1) samples.push((await timed(async () => work()))[1]);
      overhead[label] = stats(samples);
    };
    await sample("check", () => p.check({}, inputs));
    await sample("diff", () => p.diff(task.id, created.properties, inputs));
    await sample("read (1 GET)", () => p.read(task.id, created.properties));
    await sample("create, already in state (1 GET)", () => p.create(inputs));
    const getOnly: number[] = [];
    for (let i = 0; i < OVERHEAD_SAMPLES; i += 1) {
      getOnly.push(
        (
          await timed(() =>
            fetch(`${emulator.url}/v2/${PROJECT_ID}/sync-tasks/${task.id}?query_time=1`, {
              headers: { "X-Auth-Token": TOKEN },
            }).then((r) => r.text()),
          )
        )[1],
      );
    }
    overhead["a bare GET to the emulator, for reference"] = stats(getOnly);
    await sample("GetPluginInfo: a plugin RPC that runs no provider code, for reference", () => p.pluginInfo());
    for (const [label, s] of Object.entries(overhead)) row(`gRPC round trip, zero latency: ${label}`, fmt(s), "—");
    // The provider's own share, without gRPC and protobuf: the lifecycle called in this process.
    useConfig(stackLookup((key) => (oursConfig as Record<string, string>)[key], {}));
    const news = { ...oursReg.inputs, syncTaskId: task.id, state: "started" };
    delete (news as Props).__provider;
    const checkedNews = (await lifecycle.check({}, news)).inputs as Props;
    const inProcess: Record<string, Stats> = {};
    const local = async (label: string, work: () => Promise<unknown>) => {
      for (let i = 0; i < 5; i += 1) await work(); // warm up
      const samples: number[] = [];
      for (let i = 0; i < OVERHEAD_SAMPLES; i += 1) samples.push((await timed(async () => work()))[1]);
      inProcess[label] = stats(samples);
    };
    await local("check", () => lifecycle.check({}, news));
    await local("diff", () => lifecycle.diff(task.id, created.properties, checkedNews));
    await local("read (1 GET)", () => lifecycle.read(task.id, checkedNews));
    await local("create, already in state (1 GET)", () => lifecycle.create(checkedNews));
    for (const [label, s] of Object.entries(inProcess)) row(`provider code alone, zero latency: ${label}`, fmt(s), "—");
    results.inProcessMs = inProcess;
    results.overheadMs = overhead;

    // Concurrency with 50 ms latency per request.
    emulator.configure({ latencyMs: LATENCY_MS });
    const concurrency: Record<string, Record<number, { wall: Stats; ratio: number }>> = {};
    for (const subject of [ours, naive]) {
      const plugin = plugins[subject.name];
      const reg = subject.registration("concurrency-probe", "started");
      const checkedTemplate = (await plugin.check({}, reg.inputs)).inputs;
      concurrency[subject.name] = {};
      let single = 0;
      for (const n of CONCURRENCY) {
        progress(`${subject.name}: ${n} creates at once with ${LATENCY_MS} ms latency, ${CONCURRENCY_RUNS} runs`);
        const walls: number[] = [];
        for (let run = 0; run < CONCURRENCY_RUNS; run += 1) {
          const tasks = Array.from({ length: n }, () =>
            emulator.seedTask({ projectId: PROJECT_ID, status: "STOPPED", keys: KEYS }),
          );
          const [, wall] = await timed(() =>
            Promise.all(tasks.map((t) => plugin.create({ ...checkedTemplate, syncTaskId: t.id }))),
          );
          walls.push(wall);
        }
        const wall = stats(walls);
        if (n === 1) single = wall.median;
        concurrency[subject.name][n] = { wall, ratio: round(wall.median / single) };
      }
    }
    for (const n of CONCURRENCY) {
      const a = concurrency[ours.name][n];
      const b = concurrency[naive.name][n];
      row(
        `${n} creates at once, ${LATENCY_MS} ms latency: wall, × one create`,
        `${fmt(a.wall)}, ${a.ratio}×`,
        `${fmt(b.wall)}, ${b.ratio}×`,
      );
    }
    results.concurrency = concurrency;
    for (const plugin of Object.values(plugins)) plugin.stop();
    emulator.configure({ latencyMs: 0 });

    // The oms provider plugin beside the dynamic resource: no serialized provider in state.
    progress("measuring the oms provider plugin");
    const dynamicCalls = counts[ours.name];
    const plugin = await pluginFigures({ emulator, projectId: PROJECT_ID, keys: KEYS }, oursConfig, {
      // The engine keeps __provider among both the inputs and the outputs of a dynamic resource.
      stateBytes: Buffer.byteLength(JSON.stringify({ inputs: oursReg.inputs, outputs: oursReg.inputs })),
      // The dynamic door's cold start, taken the same way (spawn, configure, first Check).
      coldStartMs: stats(cold).median,
      calls: {
        "converge (create on a stopped task)": dynamicCalls["create that converges a stopped task"],
        "up with nothing changed (check + diff)": dynamicCalls["up with nothing changed (check + diff)"],
        refresh: dynamicCalls["refresh"],
        destroy: dynamicCalls["destroy"],
      },
    });
    pluginRows.push(...plugin.rows);
    results.plugin = plugin.results;

    const waits = await waitTable(progress);
    results.wait = waits.results;
    waitLines.push(...waits.lines);
  } finally {
    await emulator.stop();
    for (const cleanup of cleanups) cleanup();
  }

  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  const width = Math.max(...table.map((r) => r[0].length));
  const widthA = Math.max(...table.map((r) => r[1].length), "pulumi-oms-sync".length);
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(width)} | ${b.padEnd(widthA)} | ${c} |`;
  console.log(`\nnpm run bench — commit ${commit}, node ${process.version}, ${new Date().toISOString()}`);
  console.log("Medians with min–max in brackets. Compare only figures from the same run.\n");
  console.log(line("measure", "pulumi-oms-sync", "naive baseline"));
  console.log(line("-".repeat(width), "-".repeat(widthA), "---"));
  for (const [a, b, c] of table) console.log(line(a, b, c));
  console.log(
    "\nWaiting for a new status (a start that takes T to show; lag = converge end − the moment OMS showed it):\n",
  );
  console.log("\nThe oms provider plugin (SyncTaskState), against the dynamic resource:\n");
  console.log(line("measure", "oms plugin", "dynamic"));
  console.log(line("-".repeat(width), "-".repeat(widthA), "---"));
  for (const [a, b, c] of pluginRows) console.log(line(a, b, c));
  for (const l of waitLines) console.log(l);
  const outDir = path.join(REPO, ".bench");
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `results-${commit}.json`);
  fs.writeFileSync(
    outFile,
    JSON.stringify({ commit, node: process.version, date: new Date().toISOString(), results }, null, 2),
  );
  console.log(
    `\nResults written to ${path.relative(REPO, outFile)}; the run took ${Math.round((Date.now() - benchStarted) / 1000)} s.`,
  );
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
