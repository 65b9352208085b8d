// The example program itself, run under pulumi.runtime.setMocks: each SyncTaskState registration (with the
// __provider the program serialized) goes to Pulumi's dynamic-provider plugin, so the path from
// `new SyncTaskState(...)` to the HTTP call is covered end to end.
import * as pulumi from "@pulumi/pulumi";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, SYNC_TASK_TYPE, TYPE } from "../support/plugin";
import { ALL_SECRETS } from "../support/secrets";
import { stackConfig } from "../support/stack";

let emulator: OmsEmulator;
let plugin: ProviderPlugin;
let taskPlugin: ProviderPlugin;
const registered: { type: string; name: string; provider: string }[] = [];

beforeAll(async () => {
  const program = packedProgram();
  emulator = await startEmulator();
  const secretConfig = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
  plugin = await ProviderPlugin.start(program.dir, serializeProviderIn(program.dir));
  await plugin.configure(stackConfig(emulator.url), secretConfig);
  taskPlugin = await ProviderPlugin.start(program.dir, "", SYNC_TASK_TYPE);
  await taskPlugin.configure(stackConfig(emulator.url), secretConfig);
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, provider: String(inputs.__provider) });
        const through = args.type === TYPE ? plugin : args.type === SYNC_TASK_TYPE ? taskPlugin : undefined;
        if (!through) return { id: `${args.name}-id`, state: inputs };
        const { inputs: checked, failures } = await through.check({}, inputs);
        if (failures.length > 0) throw new Error(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
        const created = await through.create(checked);
        return { id: created.id, state: created.properties };
      },
      call: (args) => args.inputs,
    },
    "examples",
    "dev",
    false,
  );
}, 120_000);

afterAll(async () => {
  plugin?.stop();
  taskPlugin?.stop();
  await emulator?.stop();
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

it("runs examples/start-task: the paused task starts and the program exports SYNCHRONIZING", async () => {
  const task = seedPaused(emulator);
  pulumi.runtime.setConfig("examples:syncTaskId", task.id);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../examples/start-task/index") as {
    status: pulumi.Output<string>;
    lastStartTime: pulumi.Output<string>;
  };

  expect(await valueOf(program.status)).toBe("SYNCHRONIZING");
  expect(await valueOf(program.lastStartTime)).toBe(
    new Date(emulator.task(PROJECT_ID, task.id)!.lastStartTime!).toISOString(),
  );
  expect(emulator.requests.map((r) => r.operation)).toEqual(["show", "start", "show"]);
  expect(registered.map((r) => [r.type, r.name])).toEqual([[TYPE, "nightly-mirror"]]);
  const provider = registered[0].provider;
  expect(provider).toContain('require("pulumi-oms-sync")');
  expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(2048);
  expect(ALL_SECRETS.filter((s) => provider.includes(s) || plugin.returned.join().includes(s))).toEqual([]);
});

it("runs examples/sync-task: a new task is created and the program exports its id and SYNCHRONIZING", async () => {
  emulator.clearLog();
  registered.length = 0;
  for (const [key, value] of Object.entries({
    srcRegion: "us-east-1",
    srcBucket: "logs",
    dstRegion: "cn-north-4",
    dstBucket: "logs-copy",
  })) {
    pulumi.runtime.setConfig(`examples:${key}`, value);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../examples/sync-task/index") as {
    syncTaskId: pulumi.Output<string>;
    status: pulumi.Output<string>;
  };
  const id = await valueOf(program.syncTaskId);
  expect(await valueOf(program.status)).toBe("SYNCHRONIZING");
  expect(emulator.task(PROJECT_ID, id)).toMatchObject({ srcBucket: "logs", dstBucket: "logs-copy" });
  expect(emulator.requests.map((r) => r.operation)).toEqual(["list", "create", "show"]);
  expect(registered.map((r) => [r.type, r.name])).toEqual([[SYNC_TASK_TYPE, "logs"]]);
  expect(Buffer.byteLength(registered[0].provider)).toBeLessThanOrEqual(2048);
  expect(
    ALL_SECRETS.filter((s) => registered[0].provider.includes(s) || taskPlugin.returned.join().includes(s)),
  ).toEqual([]);
});
