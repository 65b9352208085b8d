// `pulumi preview --policy-pack` with the ready pack in policy-pack/, under a real Pulumi CLI: a program breaking a
// mandatory policy fails the preview and OMS sees no call; an advisory alone lets it pass. The CLI is the pinned
// build's policy CLI (see policyCliDir): the Node.js language host the module proxy serves cannot run a policy pack
// for CLIs from 2026 on, which run packs through the host.
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedPaused, startEmulator } from "../support/fixture";
import { REPO } from "../support/packed-program";
import { preparePack } from "../support/policy-host";
import { CliStack, policyCliDir } from "./support/cli";
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
