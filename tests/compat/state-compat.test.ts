// State written by pulumi-oms-sync 0.1.0 (golden files: inputs and outputs as Pulumi stored them, with 0.1.0's own
// serialized __provider) still works with this version: refresh, diff, update and destroy through Pulumi's plugin.
// The stored provider only `require`s the installed package by name (`.lifecycle`, `.taskLifecycle`), so each call
// here runs this version's code, as after `npm update` in a stack created with 0.1.0.
import * as fs from "fs";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { packedProgram } from "../support/packed-program";
import { ProviderPlugin, withoutProvider } from "../support/plugin";
import { ALL_SECRETS, TASK_KEYS } from "../support/secrets";
import { stackConfig } from "../support/stack";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
const DIFF_SOME = 2;

interface Golden {
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

function golden(name: string, endpoint: string): Golden {
  const text = fs.readFileSync(path.join(__dirname, "golden", `${name}-0.1.0.json`), "utf8");
  return JSON.parse(text.split("{{endpoint}}").join(endpoint)) as Golden;
}

let emulator: OmsEmulator;
let plugin: ProviderPlugin;
const ops = () => emulator.requests.map((r) => r.operation);

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  plugin?.stop();
  await emulator.stop();
});

async function session(state: Golden): Promise<ProviderPlugin> {
  // The default provider text is never used: every bag below carries the stored __provider.
  plugin = await ProviderPlugin.start(packedProgram().dir, String(state.outputs.__provider), state.type);
  await plugin.configure(stackConfig(emulator.url), SECRET_CONFIG);
  return plugin;
}

describe.each([
  ["sync-task-state", "SyncTaskState", "lifecycle"],
  ["sync-task", "SyncTask", "taskLifecycle"],
])("a %s written by 0.1.0", (file, kind, entry) => {
  it(`stores a provider that loads require("pulumi-oms-sync").${entry}, which this version still exports`, () => {
    const state = golden(file, "http://unused");
    expect(state.outputs.__provider).toContain(`require("pulumi-oms-sync").${entry}`);
    expect(state.inputs.__provider).toBe(state.outputs.__provider);
  });

  it(`refreshes, previews a pause, pauses and is destroyed by this version (${kind})`, async () => {
    const state = golden(file, emulator.url);
    emulator.seedTask({
      id: state.id,
      projectId: PROJECT_ID,
      status: "SYNCHRONIZING",
      keys: TASK_KEYS,
      srcBucket: String(state.outputs.srcBucket ?? "source-bucket"),
      dstBucket: String(state.outputs.dstBucket ?? "destination-bucket"),
      description: String(state.outputs.description ?? ""),
      definition: { src_cloud_type: "HuaweiCloud", src_region: "cn-north-4", dst_region: "cn-north-4" },
    });
    const p = await session(state);

    // A fresh process whose first call is a refresh, with the stored (0.1.0) provider.
    const read = await p.read(state.id, state.outputs, state.inputs);
    expect(read.id).toBe(state.id);
    expect(read.properties).toMatchObject({ state: "started", status: "SYNCHRONIZING" });
    expect(ops()).toEqual(["show"]);

    // The program now asks for a pause: the preview shows an update, not a replace.
    const news = { ...state.inputs, state: "paused" };
    const checked = await p.check(state.inputs, news);
    expect(checked.failures).toEqual([]);
    const diff = await p.diff(state.id, withoutProvider(read.properties), withoutProvider(checked.inputs));
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: [] });

    emulator.clearLog();
    const updated = await p.update(state.id, withoutProvider(read.properties), withoutProvider(checked.inputs));
    expect(updated).toMatchObject({ state: "paused", status: "STOPPED" });
    expect(updated.startKeysDigest).toMatch(/^hmac-sha256:/);
    expect(ops()).toEqual(["show", "stop", "show"]);

    // Destroy with the provider stored in state.
    emulator.clearLog();
    await p.delete(state.id, { ...updated, __provider: state.outputs.__provider });
    if (kind === "SyncTask") {
      expect(ops()).toEqual(["show", "delete"]);
      expect(emulator.task(PROJECT_ID, state.id)).toBeUndefined();
    } else {
      expect(ops()).toEqual([]);
      expect(emulator.task(PROJECT_ID, state.id)?.status).toBe("STOPPED");
    }
    const printed = [...p.returned, p.stdout, p.stderr].join("\n");
    expect(ALL_SECRETS.filter((s) => printed.includes(s))).toEqual([]);
  });
});
