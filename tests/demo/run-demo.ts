// `npm run demo`: the project doing its job end to end on this machine, with no cloud account and no Pulumi CLI.
// The OMS service is emulated; everything else is real: the package installed from its tarball, the example
// program's own registration, and Pulumi's dynamic-provider plugin driven over gRPC as the engine drives it.
import { OmsEmulator } from "../../emulator/oms-emulator";
import { EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS } from "../../emulator/cli";
import * as fs from "fs";
import * as path from "path";
import { createPackedProgram, REPO, registrationsOf, runProgram, type Registration } from "../support/packed-program";
import { formatViolations, PolicyHost, preparePack, type AnalyzedResource } from "../support/policy-host";
import { ProviderPlugin, type PluginError } from "../support/plugin";
import { cliDemo, demoConfig } from "./cli-demo";

const PROJECT = "start-task";
const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
type Props = Record<string, unknown>;

let stepNumber = 0;
async function step<T>(title: string, work: () => Promise<T> | T): Promise<T> {
  stepNumber += 1;
  const started = Date.now();
  console.log(`[${stepNumber}] ${title}`);
  try {
    const result = await work();
    console.log(`    ok, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    console.log("    FAILED");
    const detail = (error as PluginError).details ?? (error as Error).message ?? String(error);
    throw new Error(`step ${stepNumber} (${title}) failed: ${detail}`);
  }
}

const say = (line: string) => console.log(`    ${line}`);
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The few lines of the engine this demo needs: one resource's stored inputs and outputs. */
interface Stored {
  id: string;
  inputs: Props;
  outputs: Props;
}

/** One resource as the engine keeps it across `pulumi up`s: its stored state and the plugin that runs it. */
function newSession(p: ProviderPlugin, emulator: OmsEmulator) {
  const session: { stored?: Stored; upWith: (reg: Registration) => Promise<void> } = {
    /** `pulumi preview` + `pulumi up` for one registration, printing the plan and the API calls it took. */
    upWith: async (reg: Registration) => {
      const before = emulator.requests.length;
      const stored = session.stored;
      const checked = await p.check(stored?.inputs ?? {}, reg.inputs);
      if (checked.failures.length > 0)
        throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
      const { __provider: _provider, ...inputs } = checked.inputs;
      if (!stored) {
        say(
          `preview: + ${reg.name} create (${Object.entries(inputs)
            .map(([k, v]) => `${k}: ${show(v)}`)
            .join(", ")})`,
        );
        const created = await p.create(checked.inputs);
        session.stored = { id: created.id, inputs: checked.inputs, outputs: created.properties };
      } else {
        const diff = await p.diff(stored.id, stored.outputs, checked.inputs);
        if (diff.changes !== 2) {
          say(`preview: ${reg.name} unchanged`);
        } else {
          for (const key of Object.keys(inputs)) {
            if (show(stored.outputs[key]) !== show(inputs[key])) {
              say(
                `preview: ~ ${reg.name} ${diff.replaces.includes(key) ? "replace" : "update"}: ${key}: ${show(stored.outputs[key])} → ${show(inputs[key])}`,
              );
            }
          }
          const outputs = await p.update(stored.id, stored.outputs, checked.inputs);
          session.stored = { id: stored.id, inputs: checked.inputs, outputs };
        }
      }
      const now = session.stored!;
      const calls = emulator.requests.slice(before).map((r) => `${r.method} ${r.operation}`);
      say(`API calls: ${calls.length === 0 ? "none" : calls.join(", ")}`);
      say(`outputs: state ${show(now.outputs.state)}, status ${show(now.outputs.status)}`);
      say(`emulator's view of the task: ${emulator.task(EMULATOR_PROJECT_ID, now.id)?.status}`);
    },
  };
  return session;
}

async function main(): Promise<void> {
  console.log("pulumi-oms-sync demo: OMS is emulated on 127.0.0.1; the package, the example program and Pulumi's");
  console.log("dynamic-provider plugin are the real ones. No Huawei Cloud call is made.\n");

  const program = await step("pack the package and install it into a throwaway Pulumi program", () =>
    createPackedProgram(),
  );
  const emulator = await step("start the OMS emulator with one paused sync task", () =>
    OmsEmulator.start({ credentials: [EMULATOR_API_KEY], transitionDelayMs: 1000 }),
  );
  const task = emulator.seedTask({ projectId: EMULATOR_PROJECT_ID, status: "STOPPED", keys: EMULATOR_TASK_KEYS });
  say(`task ${task.id} is STOPPED; the emulator takes 1 s to show a start or stop`);

  const config = demoConfig(emulator.url);
  let plugin: ProviderPlugin | undefined;
  let taskPlugin: ProviderPlugin | undefined;
  try {
    const registration = (state: string): Registration => {
      const [reg] = runProgram(program.dir, "start-task", PROJECT, { ...config, syncTaskId: task.id, state });
      return reg;
    };
    const first = await step("run examples/start-task with state=paused (the program registers its resource)", () =>
      registration("paused"),
    );
    say(
      `registered ${first.type} "${first.name}" (__provider: ${Buffer.byteLength(String(first.inputs.__provider))} bytes)`,
    );
    plugin = await step(
      "start Pulumi's dynamic-provider plugin in the program directory and configure it",
      async () => {
        const started = await ProviderPlugin.start(program.dir, String(first.inputs.__provider));
        await started.configure(config, SECRET_CONFIG);
        return started;
      },
    );
    const p = plugin;
    const session = newSession(p, emulator);
    const upWith = session.upWith;
    await step("pulumi up (state=paused): adopt the paused task", () => upWith(first));
    await step("pulumi up (state=started): preview, then start and wait", () => upWith(registration("started")));
    await step("pulumi up again, nothing changed", () => upWith(registration("started")));
    await step("pulumi up (state=paused): pause it again", () => upWith(registration("paused")));
    await step("pulumi destroy: the task is left as it is", async () => {
      const before = emulator.requests.length;
      await p.delete(session.stored!.id, session.stored!.outputs);
      say(`API calls: ${emulator.requests.length - before === 0 ? "none" : emulator.requests.length - before}`);
      say(`emulator's view of the task: ${emulator.task(EMULATOR_PROJECT_ID, task.id)?.status}`);
    });

    // The whole task, owned by a SyncTask: examples/sync-task creates it, pauses, starts and deletes it.
    const taskRegistration = (state: string): Registration => {
      const [reg] = runProgram(program.dir, "sync-task", "sync-task", {
        ...config,
        srcRegion: "cn-east-3",
        srcBucket: "photos",
        dstRegion: "cn-north-4",
        dstBucket: "photos-copy",
        srcCloudType: "HuaweiCloud",
        state,
      });
      return reg;
    };
    const firstTask = await step("run examples/sync-task with state=started (a SyncTask owns the whole task)", () =>
      taskRegistration("started"),
    );
    taskPlugin = await step("start a plugin for it and configure it", async () => {
      const started = await ProviderPlugin.start(program.dir, String(firstTask.inputs.__provider));
      await started.configure(config, SECRET_CONFIG);
      return started;
    });
    const tasks = newSession(taskPlugin, emulator);
    await step("pulumi up: create the task and wait until OMS shows it synchronizing", () => tasks.upWith(firstTask));
    await step("pulumi up (state=paused): pause it", () => tasks.upWith(taskRegistration("paused")));
    await step("pulumi up (state=started): start it again", () => tasks.upWith(taskRegistration("started")));
    await step("pulumi destroy: pause, wait, delete the task", async () => {
      const before = emulator.requests.length;
      await taskPlugin!.delete(tasks.stored!.id, tasks.stored!.outputs);
      const calls = emulator.requests.slice(before).map((r) => `${r.method} ${r.operation}`);
      say(`API calls: ${calls.join(", ")}`);
      say(`emulator's view of the task: ${emulator.task(EMULATOR_PROJECT_ID, tasks.stored!.id)?.status ?? "deleted"}`);
    });
    await step("pulumi preview --policy-pack policy-pack: a program that breaks three policies", async () => {
      await previewWithPolicies(program.dir, config);
    });
  } finally {
    plugin?.stop();
    taskPlugin?.stop();
    await emulator.stop();
    fs.rmSync(path.dirname(program.dir), { recursive: true, force: true });
  }

  console.log(`
Done. What was emulated: only the OMS service (an HTTP server on 127.0.0.1 that verifies AK/SK signatures).

The same programs with the Pulumi CLI, against the emulator:
  npx oms-emulator --task-id demo-task      # or npm run emulator; prints the \`pulumi config set\` lines
  npm run example:install                   # packs the package into both examples and installs them
  pulumi login --local && pulumi stack init dev && <paste the config lines> && pulumi up

Against Huawei Cloud: set oms:region, oms:projectId, oms:accessKey/oms:secretKey (or oms:token) and the task's
oms:srcAk/oms:srcSk/oms:dstAk/oms:dstSk with \`pulumi config set --secret\`, set syncTaskId, and run pulumi up.`);
}

/** A program with three mistakes OMS would find only during `up`, or never. Every task is `{ protect: true }`. */
const POLICY_DEMO_PROGRAM = `
const { SyncTask, SyncTaskState } = require("pulumi-oms-sync");
const copy = { srcCloudType: "AWS", srcRegion: "us-east-1", srcBucket: "app-logs", dstRegion: "cn-north-4",
  dstBucket: "app-logs-copy", consistencyCheck: "crc64" };
new SyncTask("logs", copy, { protect: true });
new SyncTask("logs-again", copy, { protect: true });               // the same bucket pair twice
new SyncTask("images", { srcRegion: "cn-east-3", srcBucket: "images", dstRegion: "cn-north-4",
  dstBucket: "images-copy", consistencyCheck: "crc64" }, { protect: true }); // no srcCloudType: OMS takes Aliyun
new SyncTaskState("mirror", { syncTaskId: "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55", state: "started" });
new SyncTaskState("mirror-too", { syncTaskId: "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55", state: "paused" }); // two managers
`;

/** `pulumi preview --policy-pack`: the pack in Pulumi's policy runner analyzes each resource, then the stack. */
async function previewWithPolicies(programDir: string, config: Record<string, string>): Promise<void> {
  fs.writeFileSync(path.join(programDir, "policy-demo.js"), POLICY_DEMO_PROGRAM);
  const resources: AnalyzedResource[] = registrationsOf(programDir, "policy-demo.js", PROJECT, config).map((r) => {
    const { __provider: _provider, ...props } = r.inputs;
    return { type: r.type, name: r.name, props, protect: r.type.endsWith(":SyncTask") };
  });
  say(resources.map((r) => `${r.type.split(":").pop()} ${r.name}`).join(", "));
  const host = await PolicyHost.start(programDir, preparePack(programDir, path.join(REPO, "policy-pack")));
  try {
    const info = await host.info();
    say(`policy pack ${info.name} v${info.version}: ${info.policies.length} policies`);
    const violations = [];
    for (const r of resources) violations.push(...(await host.analyze(r)));
    violations.push(...(await host.analyzeStack(resources)));
    console.log("");
    for (const line of formatViolations(violations, resources).split("\n")) say(line);
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    console.log("");
    say(
      `${mandatory} mandatory and ${violations.length - mandatory} advisory: the preview fails and nothing is sent to OMS`,
    );
    if (new Set(violations.map((v) => v.policy)).size !== 3) throw new Error("expected three policies to be broken");
  } finally {
    host.stop();
  }
}

(process.argv.includes("--cli") ? cliDemo() : main()).catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exit(1);
});
