// The `oms` provider plugin under the real Pulumi CLI: installed as users install it (`pulumi plugin install resource
// oms <version> --server <url> --checksum <sha256>`, the tarball `npm run plugin:pack` writes served over HTTP), used
// by a YAML program (up, preview, refresh, destroy, Ctrl-C), and `pulumi import` of both resource types, against the
// emulator. Every command runs with a PATH on which no `node` resolves: the plugin is one executable.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedAwsTask, startEmulator } from "../support/fixture";
import { TASK_KEYS } from "../support/secrets";
import { changedProperties, CliStack, formsOf, pluginRelease, pulumiVersion, type PluginRelease } from "./support/cli";
import { omsConfig, SECRET_CONFIG } from "./support/program";
import { ReleaseServer } from "./support/release-server";

const PROGRAM = (resources: string) => `name: oms-yaml
runtime: yaml
config:
  state:
    type: string
    default: started
resources:
  logs:
    type: oms:index:SyncTask
    properties:
      srcCloudType: AWS
      srcRegion: us-east-1
      srcBucket: yaml-src
      dstRegion: cn-north-4
      dstBucket: yaml-dst
      state: \${state}
${resources}outputs:
  syncTaskId: \${logs.syncTaskId}
  status: \${logs.status}
`;

let emulator: OmsEmulator;
let stack: CliStack;
let dir: string;
let release: PluginRelease;
let server: ReleaseServer;

beforeAll(async () => {
  release = pluginRelease();
  server = await ReleaseServer.start(release.folder, "/releases");
  emulator = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-yaml-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PROGRAM(""));
  // The CLI's own folder alone on PATH: its YAML host, and no Node.js.
  stack = new CliStack({ programDir: dir, emulator, path: [] });
  await stack.init(omsConfig(emulator.url), SECRET_CONFIG);
}, 300_000);

afterAll(async () => {
  process.stdout.write(stack?.table(`The oms plugin with a YAML program, ${pulumiVersion()}`));
  stack?.remove();
  await emulator?.stop();
  await server?.stop();
});

it("no node resolves on the PATH every command here runs with", () => {
  expect(stack.nodeOnPath()).toBeUndefined();
  // The same check finds the Node.js of the test's own PATH: it can tell.
  const usual = new CliStack({ programDir: dir, emulator });
  try {
    expect(usual.nodeOnPath()).toMatch(/\/node$/);
  } finally {
    usual.remove();
  }
});

it("pulumi plugin install --server --checksum fetches this machine's tarball once and installs the executable", async () => {
  const tarball = path.basename(release.tarball);
  await stack.must("plugin install --server --checksum", [
    "plugin",
    "install",
    "resource",
    "oms",
    `v${release.version}`,
    "--server",
    server.url("/releases"),
    "--checksum",
    release.sha256,
  ]);
  expect(server.gets(`/releases/${tarball}`)).toBe(1);
  const installed = path.join(stack.home, "plugins", `resource-oms-v${release.version}`, "pulumi-resource-oms");
  expect(fs.statSync(installed).mode & 0o111).toBeTruthy();
});

const tasks = () => emulator.allTasks();

it("up creates the task through the plugin and waits for it", async () => {
  const step = await stack.must("up (create)", ["up", "--yes"]);
  expect(CliStack.mutations(step)).toEqual({ create: 1 });
  expect(tasks()).toHaveLength(1);
  expect(tasks()[0].status).toBe("SYNCHRONIZING");
  const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
  expect(outputs).toEqual({ syncTaskId: tasks()[0].id, status: "SYNCHRONIZING" });
});

it("a preview with nothing changed shows no change and makes no call", async () => {
  const step = await stack.must("preview (no change)", ["preview", "--diff"]);
  expect(step.calls).toEqual({});
  expect(step.stdout).toMatch(/2 unchanged/);
});

it("a flip previews as a change of state and up pauses the task", async () => {
  await stack.setConfig("state", "paused", false);
  const preview = await stack.must("preview --diff (paused)", ["preview", "--diff"]);
  expect(changedProperties(preview.stdout, "logs")).toEqual(["~ state"]);
  expect(CliStack.mutations(preview)).toEqual({});
  const up = await stack.must("up (paused)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({ stop: 1 });
  expect(tasks()[0].status).toBe("STOPPED");
});

it("refresh reads the task and changes nothing", async () => {
  const step = await stack.must("refresh", ["refresh", "--yes"]);
  expect(CliStack.mutations(step)).toEqual({});
});

it("the provider's own config is in state as ciphertext only", async () => {
  const state = await stack.exported();
  const provider = state.deployment.resources?.find((r) => r.type === "pulumi:providers:oms");
  expect(provider).toBeDefined();
  const text = JSON.stringify(provider);
  for (const key of Object.values(TASK_KEYS)) expect(text).not.toContain(key);
  expect(JSON.stringify(provider?.inputs?.srcAk)).toMatch(/ciphertext/);
});

it.each([
  ["oms:index:SyncTaskState", "mirror"],
  ["oms:index:SyncTask", "adopted"],
])(
  "pulumi import %s reads the task, writes code that previews with no change, and sends no mutating call",
  async (type, name) => {
    const seeded = seedAwsTask(emulator, name);
    const code = path.join(stack.root, `${name}.yaml`);
    const imported = await stack.must(`import ${type}`, ["import", type, name, seeded.id, "--yes", "--out", code]);
    expect(CliStack.mutations(imported)).toEqual({});
    const written = fs.readFileSync(code, "utf8");
    for (const planted of stack.planted) for (const form of formsOf(planted)) expect(written).not.toContain(form);
    // The transcript (audited for secrets above) and the code it wrote, for the reader of the test output.
    process.stdout.write(
      `\n$ pulumi import ${type} ${name} <id> --yes --out ${name}.yaml\n${imported.stdout}\n${written}\n`,
    );
    const body = written.replace(/^resources:\n/m, "").replace(/^\s*#.*\n/gm, "");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PROGRAM(body));
    const preview = await stack.must(`preview (imported ${name})`, ["preview", "--diff"]);
    expect(preview.stdout).not.toMatch(/to update|to replace|to create/);
    expect(CliStack.mutations(preview)).toEqual({});
    // Imported resources are protected; the destroy below needs them not to be.
    await stack.must(`state unprotect ${name}`, ["state", "unprotect", "--all", "--yes"]);
  },
);

it("destroy deletes the task the stack created and leaves the adopted one's fate to the resource", async () => {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PROGRAM(""));
  const step = await stack.must("destroy", ["destroy", "--yes"]);
  expect(step.calls.delete).toBe(2);
  expect(tasks().map((t) => t.srcBucket)).toEqual(["mirror-src"]);
});

it("an explicit provider resource (pulumi:providers:oms) carries the connection and keys for its resources", async () => {
  const explicit = `name: oms-yaml
runtime: yaml
resources:
  own:
    type: pulumi:providers:oms
    properties:
      endpoint: \${oms:endpoint}
      region: cn-north-4
      projectId: \${oms:projectId}
      accessKey: \${oms:accessKey}
      secretKey: \${oms:secretKey}
      srcAk: \${oms:srcAk}
      srcSk: \${oms:srcSk}
      dstAk: \${oms:dstAk}
      dstSk: \${oms:dstSk}
  viaOwn:
    type: oms:index:SyncTask
    properties:
      srcCloudType: AWS
      srcRegion: us-east-1
      srcBucket: own-src
      dstRegion: cn-north-4
      dstBucket: own-dst
    options:
      provider: \${own}
`;
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), explicit);
  const up = await stack.must("up (explicit provider)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({ create: 1 });
  expect(tasks().find((t) => t.srcBucket === "own-src")?.status).toBe("SYNCHRONIZING");
  const state = await stack.exported();
  const own = state.deployment.resources?.find((r) => r.urn.endsWith("::own"));
  const viaOwn = state.deployment.resources?.find((r) => r.urn.endsWith("::viaOwn")) as { provider?: string };
  expect(viaOwn.provider).toMatch(new RegExp(`^${own!.urn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}::`));
  for (const key of Object.values(TASK_KEYS)) expect(JSON.stringify(own)).not.toContain(key);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PROGRAM(""));
  const destroy = await stack.must("destroy (explicit provider)", ["destroy", "--yes"]);
  expect(destroy.calls.delete).toBe(1);
});

/** Runs `pulumi <args>` and sends it SIGINT (Ctrl-C) once `when()` holds; the step. */
async function interrupted(label: string, args: string[], when: () => boolean) {
  emulator.clearLog();
  const child = stack.spawn(args);
  while (!when() && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill("SIGINT");
  return stack.finish(label, args, child);
}

it("Ctrl-C (SIGINT) while a create waits: the plugin ends the wait at once, records the task, the next up converges", async () => {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PROGRAM(""));
  await stack.setConfig("state", "started", false);
  // OMS would take two minutes to show the new task synchronizing; the resource would wait for it.
  emulator.configure({ transitionDelayMs: 120_000 });
  let step;
  try {
    // Once the create was answered and its wait has begun.
    step = await interrupted("up (SIGINT during the wait)", ["up", "--yes"], () => emulator.log("show").length > 0);
  } finally {
    emulator.configure({ transitionDelayMs: 0 });
  }
  expect(step.exit).not.toBe(0);
  // Well before the two minutes: the engine's Cancel ended the wait.
  expect(step.seconds).toBeLessThan(60);
  const created = tasks().filter((t) => t.srcBucket === "yaml-src");
  expect(created).toHaveLength(1);
  const logs = await stack.resource("oms:index:SyncTask", "logs");
  expect(logs?.id).toBe(created[0].id);
  expect(logs?.initErrors?.join("\n")).toMatch(
    /the engine cancelled the operation before OMS showed status SYNCHRONIZING/,
  );
  // OMS carries out the start meanwhile; the next up sees it done and sends nothing.
  emulator.setStatus(PROJECT_ID, created[0].id, "SYNCHRONIZING");
  const next = await stack.must("up (after Ctrl-C)", ["up", "--yes"]);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks().filter((t) => t.srcBucket === "yaml-src")).toHaveLength(1);
  const destroy = await stack.must("destroy (after Ctrl-C)", ["destroy", "--yes"]);
  expect(destroy.calls.delete).toBe(1);
});

it("Ctrl-C (SIGINT) while a destroy retries OMS.0063: the retries end at once, the task runs again, destroy then works", async () => {
  await stack.must("up (before the interrupted destroy)", ["up", "--yes"]);
  const [created] = tasks().filter((t) => t.srcBucket === "yaml-src");
  expect(created.status).toBe("SYNCHRONIZING");
  // OMS says the task is in progress to every delete: the destroy would retry for the resource's timeoutSeconds.
  emulator.inject({
    operation: "delete",
    times: 100_000,
    fault: { kind: "status", status: 400, body: '{"error_code":"OMS.0063","error_msg":"The task is in progress."}' },
  });
  let step;
  try {
    step = await interrupted(
      "destroy (SIGINT during OMS.0063)",
      ["destroy", "--yes"],
      () => emulator.log("delete").length >= 3,
    );
  } finally {
    emulator.clearFaults();
  }
  expect(step.exit).not.toBe(0);
  expect(step.seconds).toBeLessThan(60);
  const said = step.stdout + step.stderr;
  expect(said).toMatch(/the engine cancelled the operation before OMS stopped reporting the task in progress/);
  expect(said).toMatch(/it was started again and is synchronizing/);
  // The delete had paused the task; it runs again, and the stack still holds it.
  expect(emulator.task(PROJECT_ID, created.id)?.status).toBe("SYNCHRONIZING");
  expect((await stack.resource("oms:index:SyncTask", "logs"))?.id).toBe(created.id);
  const destroy = await stack.must("destroy (after Ctrl-C)", ["destroy", "--yes"]);
  expect(destroy.calls.delete).toBe(1);
  expect(tasks().filter((t) => t.srcBucket === "yaml-src")).toHaveLength(0);
});
