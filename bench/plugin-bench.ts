// The `oms` provider plugin beside the dynamic one, for `npm run bench`: state bytes per resource (no serialized
// provider), OMS calls per converge, no-op, refresh and destroy, and cold start.
import type { OmsEmulator } from "../emulator/oms-emulator";
import { NativeProcess } from "../tests/model/native-driver";

/** Rows of the bench table: measure, the plugin's figure, the dynamic resource's. */
export type Row = [string, string, string];

interface Seedable {
  emulator: OmsEmulator;
  projectId: string;
  keys: { srcAk: string; srcSk: string; dstAk: string; dstSk: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Measures the plugin with SyncTaskState, as the dynamic figures are taken: `dynamic` carries the dynamic resource's
 * bytes of state and calls for the same operations, for the table's third column.
 */
export async function pluginFigures(
  world: Seedable,
  config: Record<string, string>,
  dynamic: { stateBytes: number; calls: Record<string, string> },
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const { emulator } = world;
  const cold: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const began = Date.now();
    const p = await NativeProcess.start(config);
    await p.check("SyncTaskState", {}, { syncTaskId: "cold-probe", state: "paused" });
    cold.push(Date.now() - began);
    await p.stop();
  }
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
      ["cold start: spawn → first Check answered (ms, median of 5)", `${median(cold)}`, "the plugin cold start above"],
    ];
    return { rows, results: { stateBytes, calls, coldStartMs: cold } };
  } finally {
    await p.stop();
  }
}
