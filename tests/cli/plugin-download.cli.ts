// Getting the `oms` plugin as users do, with no checkout and no Node.js: the tarballs `npm run plugin:pack` writes,
// served over HTTP as a release's downloads. With an empty PULUMI_HOME and automatic plugin acquisition on, `pulumi
// up` of a YAML program whose resources name the version and pluginDownloadURL downloads the plugin and runs it; a
// missing tarball or a wrong checksum ends with the CLI's error at once.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { startEmulator } from "../support/fixture";
import { CliStack, pluginRelease, pulumiVersion, type PluginRelease, type Step } from "./support/cli";
import { omsConfig, SECRET_CONFIG } from "./support/program";
import { ReleaseServer } from "./support/release-server";

let release: PluginRelease;
let server: ReleaseServer;
let emulator: OmsEmulator;
const stacks: CliStack[] = [];

beforeAll(async () => {
  release = pluginRelease();
  server = await ReleaseServer.start(release.folder, "/releases");
  emulator = await startEmulator();
}, 600_000);

afterAll(async () => {
  for (const stack of stacks) {
    process.stdout.write(stack.table(`Plugin downloads (${path.basename(stack.dir)}), ${pulumiVersion()}`));
    stack.remove();
  }
  await server?.stop();
  await emulator?.stop();
});

/** A YAML program of one SyncTask whose plugin comes from `downloadURL`, on a stack of its own: empty PULUMI_HOME. */
async function stackFor(name: string, downloadURL: string): Promise<CliStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `oms-${name}-`));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: oms-${name}
runtime: yaml
resources:
  logs:
    type: oms:index:SyncTask
    properties:
      srcCloudType: AWS
      srcRegion: us-east-1
      srcBucket: ${name}-src
      dstRegion: cn-north-4
      dstBucket: ${name}-dst
    options:
      version: ${release.version}
      pluginDownloadURL: ${downloadURL}
outputs:
  syncTaskId: \${logs.syncTaskId}
`,
  );
  const stack = new CliStack({
    programDir: dir,
    emulator,
    path: [],
    env: { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: undefined },
  });
  stacks.push(stack);
  expect(stack.nodeOnPath()).toBeUndefined();
  await stack.init(omsConfig(emulator.url), SECRET_CONFIG);
  return stack;
}

const pluginsOf = (stack: CliStack) => {
  const dir = path.join(stack.home, "plugins");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith("resource-oms"))
    .map((entry) => entry.name);
};
/** The CLI's words for a failed step, for the reader of the test output. */
const shown = (step: Step) => {
  const errors = (step.stdout + step.stderr).split("\n").filter((line) => /error/i.test(line));
  process.stdout.write(`\n$ ${step.command}  (exit ${step.exit})\n${errors.join("\n")}\n`);
};
const tarballPath = () => `/releases/${path.basename(release.tarball)}`;
const tasksOf = (name: string) => emulator.allTasks().filter((t) => t.srcBucket === `${name}-src`);

it("pulumi up with an empty PULUMI_HOME downloads the plugin from pluginDownloadURL once, and runs it", async () => {
  const stack = await stackFor("fetched", server.url("/releases"));
  expect(pluginsOf(stack)).toEqual([]);
  const before = server.gets(tarballPath());
  const up = await stack.must("up (downloads the plugin)", ["up", "--yes"]);
  expect(server.gets(tarballPath()) - before).toBe(1);
  expect(pluginsOf(stack)).toEqual([`resource-oms-v${release.version}`]);
  expect(CliStack.mutations(up)).toEqual({ create: 1 });
  expect(tasksOf("fetched").map((t) => t.status)).toEqual(["SYNCHRONIZING"]);
  // Installed now: the next command downloads nothing.
  const preview = await stack.must("preview (installed)", ["preview", "--diff"]);
  expect(preview.stdout).toMatch(/2 unchanged/);
  expect(server.gets(tarballPath()) - before).toBe(1);
  const destroy = await stack.must("destroy", ["destroy", "--yes"]);
  expect(destroy.calls.delete).toBe(1);
  expect(tasksOf("fetched")).toEqual([]);
});

it("a pluginDownloadURL with no tarball: up fails at once with the CLI's error naming the download, nothing made", async () => {
  const stack = await stackFor("missing", server.url("/nothing-here"));
  const up = await stack.run("up (no tarball there)", ["up", "--yes"]);
  shown(up);
  expect(up.exit).not.toBe(0);
  expect(up.seconds).toBeLessThan(60);
  expect(up.stdout + up.stderr).toMatch(/404|not found/i);
  expect(up.stdout + up.stderr).toContain("oms");
  expect(server.gets(`/nothing-here/${path.basename(release.tarball)}`)).toBeGreaterThanOrEqual(1);
  expect(pluginsOf(stack)).toEqual([]);
  expect(tasksOf("missing")).toEqual([]);
});

it("plugin install --checksum with a wrong checksum refuses the download at once and installs nothing", async () => {
  const stack = await stackFor("checksum", server.url("/releases"));
  const wrong = release.sha256.replace(/^./, (c) => (c === "0" ? "1" : "0"));
  const step = await stack.run("plugin install (wrong checksum)", [
    "plugin",
    "install",
    "resource",
    "oms",
    `v${release.version}`,
    "--server",
    server.url("/releases"),
    "--checksum",
    wrong,
  ]);
  shown(step);
  expect(step.exit).not.toBe(0);
  expect(step.seconds).toBeLessThan(60);
  expect(step.stdout + step.stderr).toMatch(/checksum/i);
  expect(pluginsOf(stack)).toEqual([]);
});

it("plugin install of a version with no tarball fails at once with the CLI's error, and installs nothing", async () => {
  const stack = await stackFor("absent", server.url("/releases"));
  const step = await stack.run("plugin install (no such version)", [
    "plugin",
    "install",
    "resource",
    "oms",
    "v0.0.99",
    "--server",
    server.url("/releases"),
  ]);
  shown(step);
  expect(step.exit).not.toBe(0);
  expect(step.seconds).toBeLessThan(60);
  expect(step.stdout + step.stderr).toMatch(/404|not found/i);
  expect(server.gets(`/releases/${path.basename(release.tarball).replace(release.version, "0.0.99")}`)).toBe(1);
  expect(pluginsOf(stack)).toEqual([]);
});
