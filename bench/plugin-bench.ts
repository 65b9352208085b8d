// The `oms` provider plugin beside the dynamic one, for `npm run bench`: state bytes per resource (no serialized
// provider), OMS calls per converge, no-op, refresh and destroy, the executable's and tarball's sizes, and cold start
// of the executable, of the same bundle on Node.js, and of the compiled plugin.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../emulator/oms-emulator";
import { NativeProcess, type PluginLaunch } from "../tests/model/native-driver";
import { REPO } from "../tests/support/packed-program";

/** Rows of the bench table: measure, the plugin's figure, the dynamic resource's. */
export type Row = [string, string, string];

interface Seedable {
  emulator: OmsEmulator;
  projectId: string;
  keys: { srcAk: string; srcSk: string; dstAk: string; dstSk: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const megabytes = (file: string) => (fs.statSync(file).size / 1024 / 1024).toFixed(1);

/** Spawn → first Check answered, five times, for the plugin started as `launch` says; the samples in ms. */
async function coldStarts(config: Record<string, string>, launch?: PluginLaunch): Promise<number[]> {
  const cold: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const began = Date.now();
    const p = await NativeProcess.start(config, launch);
    await p.check("SyncTaskState", {}, { syncTaskId: "cold-probe", state: "paused" });
    cold.push(Date.now() - began);
    await p.stop();
  }
  return cold;
}

/** This machine's executable from `npm run plugin:pack` (built or reused), unpacked; its tarball; the bundle in it. */
function packed(): { executable: string; tarball: string; bundle: string; unpacked: string } {
  const folder = execFileSync(process.execPath, [path.join(REPO, "tools", "plugin-pack.mjs")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop()!;
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as "x64" | "arm64"];
  const tarball = fs.readdirSync(folder).find((name) => name.endsWith(`-${process.platform}-${arch}.tar.gz`))!;
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "oms-bench-plugin-"));
  execFileSync("tar", ["-xzf", path.join(folder, tarball), "-C", unpacked]);
  return {
    executable: path.join(unpacked, "pulumi-resource-oms"),
    tarball: path.join(folder, tarball),
    bundle: path.join(REPO, "dist", "plugin-build", "pulumi-resource-oms.js"),
    unpacked,
  };
}

/**
 * Measures the plugin with SyncTaskState, as the dynamic figures are taken: `dynamic` carries the dynamic resource's
 * bytes of state and calls for the same operations, for the table's third column.
 */
export async function pluginFigures(
  world: Seedable,
  config: Record<string, string>,
  dynamic: { stateBytes: number; calls: Record<string, string>; coldStartMs: number },
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const { emulator } = world;
  const build = packed();
  const starts = {
    executable: await coldStarts(config, { entry: build.executable, executable: true }),
    bundle: await coldStarts(config, { entry: build.bundle }),
    compiled: await coldStarts(config),
  };
  const sizes = { executableMB: megabytes(build.executable), tarballMB: megabytes(build.tarball) };
  fs.rmSync(build.unpacked, { recursive: true, force: true });
  const p = await NativeProcess.start(config);
  try {
    const task = emulator.seedTask({ projectId: world.projectId, status: "STOPPED", keys: world.keys });
    const calls: Record<string, number> = {};
    const count = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const before = emulator.requests.length;
      const result = await work();
      calls[label] = emulator.requests.length - before;
      return result;
    };
    const news = { syncTaskId: task.id, state: "started" };
    const checked = await p.check("SyncTaskState", {}, news);
    const created = await count("converge (create on a stopped task)", () => p.create("SyncTaskState", checked.inputs));
    await count("up with nothing changed (check + diff)", async () => {
      const again = await p.check("SyncTaskState", checked.inputs, news);
      const diff = await p.diff("SyncTaskState", created.id, created.outs, again.inputs);
      if (diff.changes) await p.update("SyncTaskState", created.id, created.outs, again.inputs);
    });
    await count("refresh", () => p.read("SyncTaskState", created.id, created.outs, checked.inputs));
    await count("destroy", () => p.delete("SyncTaskState", created.id, created.outs));
    const stateBytes = Buffer.byteLength(JSON.stringify({ inputs: checked.inputs, outputs: created.outs }));
    const rows: Row[] = [
      ["state bytes per SyncTaskState (inputs + outputs)", `${stateBytes}`, `${dynamic.stateBytes}`],
      ...Object.entries(calls).map(([label, n]): Row => [
        `API requests: ${label}`,
        `${n}`,
        dynamic.calls[label] ?? "—",
      ]),
      [`executable pulumi-resource-oms, ${path.basename(build.tarball, ".tar.gz")} (MB)`, sizes.executableMB, "—"],
      [`its tarball (MB)`, sizes.tarballMB, "—"],
      ...(
        [
          ["the executable (Node.js 24 SEA; goal ≤ 200)", starts.executable],
          [`the same bundle on Node.js ${process.version}`, starts.bundle],
          [`the compiled plugin (dist/) on Node.js ${process.version}`, starts.compiled],
        ] as const
      ).map(([what, samples]): Row => [
        `cold start, spawn → first Check answered (ms, median of 5): ${what}`,
        `${median(samples)}`,
        `${Math.round(dynamic.coldStartMs)}`,
      ]),
    ];
    return { rows, results: { stateBytes, calls, coldStartMs: starts, sizes } };
  } finally {
    await p.stop();
  }
}
