// An `up` interrupted while a create waits, under the real Pulumi CLI: killed outright (SIGKILL), or asked once to
// stop (SIGINT, as Ctrl-C). Nothing may end with a second task in OMS.
import * as fs from "fs";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { SYNC_TASK_TYPE } from "../support/plugin";
import { CliStack, pulumiVersion } from "./support/cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./support/program";

let emulator: OmsEmulator;
let stack: CliStack;
let dir: string;
let pair = 0;

beforeAll(() => {
  dir = programDir({ program: "sync-task" });
}, 300_000);

beforeEach(async () => {
  emulator = await startEmulator();
  pair += 1;
  stack = new CliStack({ programDir: dir, emulator, stack: `interrupted-${pair}` });
  await stack.init(
    { ...omsConfig(emulator.url), srcBucket: `src-${pair}`, dstBucket: `dst-${pair}`, timeoutSeconds: "60" },
    SECRET_CONFIG,
  );
}, 120_000);

afterEach(async () => {
  process.stdout.write(stack.table(`${expect.getState().currentTestName}, ${pulumiVersion()}`));
  emulator.configure({ transitionDelayMs: 0 });
  await stack.run("destroy (cleanup)", ["destroy", "--yes"]);
  await stack.run("stack rm", ["stack", "rm", "--yes", "--force"]);
  stack.remove();
  await emulator.stop();
});

const tasks = () => emulator.allTasks();
const output = (step: { stdout: string; stderr: string }) => `${step.stdout}\n${step.stderr}`;

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pids of the processes whose parent is `pid` (the language host, the plugin), from /proc. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(path.join("/proc", entry, "stat"), "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) found.push(Number(entry), ...childrenOf(Number(entry)));
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

it("pulumi killed (SIGKILL) while a create waits: the next up makes no second task, names the one left, and adopting it converges", async () => {
  emulator.configure({ transitionDelayMs: 120_000 });
  const args = ["up", "--yes"];
  const child = stack.spawn(args);
  await until(() => emulator.log("create").length === 1, "the create");
  const orphans = childrenOf(child.pid!);
  child.kill("SIGKILL");
  const killed = await stack.finish("up (SIGKILL during the wait)", args, child);
  expect(killed.exit).toBeNull();
  // What the killed CLI started would go on polling; a machine that lost power has none of them.
  for (const pid of orphans) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  expect(tasks()).toHaveLength(1);
  const left = tasks()[0].id;
  // Meanwhile OMS finished starting the task it made.
  emulator.configure({ transitionDelayMs: 0 });
  emulator.setStatus(PROJECT_ID, left, "SYNCHRONIZING");

  // The killed CLI left its lock: the next command says so, and `pulumi cancel` is what it offers.
  const locked = await stack.run("up (after the kill)", ["up", "--yes"]);
  expect(locked.exit).not.toBe(0);
  expect(output(locked)).toMatch(/locked.*pulumi cancel/s);
  expect(locked.calls).toEqual({});
  await stack.must("cancel", ["cancel", "--yes"]);

  const next = await stack.run("up (after cancel)", ["up", "--yes"]);
  process.stdout.write(`\nup after the kill and cancel:\n${output(next)}\n`);
  expect(next.exit).not.toBe(0);
  expect(output(next)).toContain(`OMS already has a sync task from src-${pair} to dst-${pair} (${left}`);
  expect(output(next)).toContain(`set syncTaskId: "${left}"`);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks()).toHaveLength(1);

  await stack.setConfig("adopt", left, false);
  const adopt = await stack.must("up (adopt the task left)", ["up", "--yes"]);
  expect(CliStack.mutations(adopt)).toEqual({});
  expect((await stack.resource(SYNC_TASK_TYPE, "logs"))?.id).toBe(left);
  expect(tasks()).toHaveLength(1);
});

it("Ctrl-C (SIGINT) once while a create waits: the CLI lets the create finish and records the task", async () => {
  emulator.configure({ transitionDelayMs: 3_000 });
  const args = ["up", "--yes"];
  const child = stack.spawn(args);
  await until(() => emulator.log("create").length === 1, "the create");
  child.kill("SIGINT");
  const interrupted = await stack.finish("up (SIGINT during the wait)", args, child);
  expect(tasks()).toHaveLength(1);
  const id = tasks()[0].id;
  expect((await stack.resource(SYNC_TASK_TYPE, "logs"))?.id).toBe(id);
  process.stdout.write(`\nSIGINT: exit ${interrupted.exit}\n`);
  const next = await stack.must("up (after Ctrl-C)", ["up", "--yes"]);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks()).toHaveLength(1);
  expect(tasks()[0].status).toBe("SYNCHRONIZING");
});
