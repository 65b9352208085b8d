// `pulumi preview --policy-pack` with the ready pack in policy-pack/, under a real Pulumi CLI: a program breaking a
// mandatory policy fails the preview and OMS sees no call; an advisory alone lets it pass. The CLI is the pinned
// build's policy CLI (see policyCliDir): the Node.js language host the module proxy serves cannot run a policy pack
// for CLIs from 2026 on, which run packs through the host.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedPaused, startEmulator } from "../support/fixture";
import { REPO } from "../support/packed-program";
import { preparePack } from "../support/policy-host";
import { CliStack, pluginRelease, policyCliDir } from "./support/cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./support/program";

let emulator: OmsEmulator;
let stack: CliStack;
let pack: string;

beforeAll(async () => {
  emulator = await startEmulator();
  const dir = programDir({ program: "policy" });
  pack = preparePack(dir, path.join(REPO, "policy-pack"));
  stack = new CliStack({ programDir: dir, emulator, cliDir: policyCliDir() });
  await stack.init({ ...omsConfig(emulator.url), syncTaskId: seedPaused(emulator).id }, SECRET_CONFIG);
}, 300_000);

afterAll(async () => {
  const version = (await stack?.run("version", ["version"]))?.stdout.trim();
  process.stdout.write(stack?.table(`Policy pack, ${version}`));
  stack?.remove();
  await emulator?.stop();
});

const output = (step: { stdout: string; stderr: string }) => `${step.stdout}\n${step.stderr}`;

it("two resources managing one task break a mandatory policy: the preview fails and OMS sees no call", async () => {
  await stack.setConfig("twoManagers", "true", false);
  const step = await stack.run("preview --policy-pack (mandatory)", ["preview", "--policy-pack", pack]);
  expect(step.exit).not.toBe(0);
  expect(output(step)).toMatch(/mandatory/);
  expect(output(step)).toContain("oms-one-manager-per-task");
  expect(step.calls).toEqual({});
});

it("a missing srcCloudType is advisory: the preview passes and names it", async () => {
  await stack.setConfig("twoManagers", "false", false);
  const step = await stack.must("preview --policy-pack (advisory)", ["preview", "--policy-pack", pack]);
  expect(output(step)).toContain("oms-explicit-source-cloud");
  expect(output(step)).toMatch(/advisory/);
  expect(step.calls).toEqual({});
});

it("the oms plugin's types are judged alike: two oms:index:SyncTaskState on one task fail the preview, no call", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-policy-yaml-"));
  const manager = (name: string, state: string) =>
    `  ${name}:\n    type: oms:index:SyncTaskState\n    properties:\n      syncTaskId: \${syncTaskId}\n      state: ${state}\n`;
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: oms-policy-yaml\nruntime: yaml\nconfig:\n  syncTaskId:\n    type: string\nresources:\n" +
      manager("mirror", "started") +
      manager("mirrorToo", "paused"),
  );
  const yaml = new CliStack({ programDir: dir, emulator, cliDir: policyCliDir() });
  try {
    const { tarball, version } = pluginRelease();
    await yaml.must("plugin install", ["plugin", "install", "resource", "oms", version, "--file", tarball]);
    await yaml.init({ ...omsConfig(emulator.url), syncTaskId: seedPaused(emulator).id }, SECRET_CONFIG);
    const step = await yaml.run("preview --policy-pack (oms plugin, mandatory)", ["preview", "--policy-pack", pack]);
    expect(step.exit).not.toBe(0);
    expect(output(step)).toMatch(/mandatory/);
    expect(output(step)).toContain("oms-one-manager-per-task");
    expect(output(step)).toContain('SyncTaskState "mirror" and SyncTaskState "mirrorToo"');
    expect(step.calls).toEqual({});
  } finally {
    process.stdout.write(yaml.table("Policy pack, the oms plugin with YAML"));
    yaml.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
