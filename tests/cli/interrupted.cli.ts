// An `up` interrupted while a create waits, under the real Pulumi CLI: killed outright (SIGKILL), or asked once to
// stop (SIGINT, as Ctrl-C). Nothing may end with a second task in OMS.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ID } from "../support/fixture";
import { SYNC_TASK_TYPE } from "../support/plugin";
import { CliStack } from "./support/cli";
import { stackPerTest } from "./support/per-test";

const t = stackPerTest("interrupted", "60");

const tasks = () => t.emulator.allTasks();
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
  t.emulator.configure({ transitionDelayMs: 120_000 });
  const args = ["up", "--yes"];
  const child = t.stack.spawn(args);
  await until(() => t.emulator.log("create").length === 1, "the create");
  const orphans = childrenOf(child.pid!);
  child.kill("SIGKILL");
  const killed = await t.stack.finish("up (SIGKILL during the wait)", args, child);
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
  t.emulator.configure({ transitionDelayMs: 0 });
  t.emulator.setStatus(PROJECT_ID, left, "SYNCHRONIZING");

  // The killed CLI left its lock: the next command says so, and `pulumi cancel` is what it offers.
  const locked = await t.stack.run("up (after the kill)", ["up", "--yes"]);
  expect(locked.exit).not.toBe(0);
  expect(output(locked)).toMatch(/locked.*pulumi cancel/s);
  expect(locked.calls).toEqual({});
  await t.stack.must("cancel", ["cancel", "--yes"]);

  const next = await t.stack.run("up (after cancel)", ["up", "--yes"]);
  process.stdout.write(`\nup after the kill and cancel:\n${output(next)}\n`);
  expect(next.exit).not.toBe(0);
  expect(output(next)).toContain(`OMS already has a sync task from src-${t.pair} to dst-${t.pair} (${left}`);
  expect(output(next)).toContain(`set syncTaskId: "${left}"`);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks()).toHaveLength(1);

  await t.stack.setConfig("adopt", left, false);
  const adopt = await t.stack.must("up (adopt the task left)", ["up", "--yes"]);
  expect(CliStack.mutations(adopt)).toEqual({});
  expect((await t.stack.resource(SYNC_TASK_TYPE, "logs"))?.id).toBe(left);
  expect(tasks()).toHaveLength(1);
});

it("Ctrl-C (SIGINT) once while a create waits: the CLI lets the create finish, records the task and exits 1", async () => {
  t.emulator.configure({ transitionDelayMs: 3_000 });
  const args = ["up", "--yes"];
  const child = t.stack.spawn(args);
  await until(() => t.emulator.log("create").length === 1, "the create");
  // The signal lands during the wait: the CLI is running, and OMS does not yet show the task synchronizing.
  expect(child.exitCode).toBeNull();
  expect(tasks()[0].status).not.toBe("SYNCHRONIZING");
  const showsAtSignal = t.emulator.log("show").length;
  child.kill("SIGINT");
  const interrupted = await t.stack.finish("up (SIGINT during the wait)", args, child);
  process.stdout.write(`\nSIGINT: exit ${interrupted.exit}\n`);
  expect(output(interrupted)).toContain("^C received; cancelling.");
  expect(interrupted.exit).toBe(1);
  // The wait went on after the signal until OMS showed the task synchronizing: the create finished.
  expect(t.emulator.log("show").length).toBeGreaterThan(showsAtSignal);
  expect(tasks()).toHaveLength(1);
  const id = tasks()[0].id;
  expect((await t.stack.resource(SYNC_TASK_TYPE, "logs"))?.outputs).toMatchObject({ status: "SYNCHRONIZING" });
  expect((await t.stack.resource(SYNC_TASK_TYPE, "logs"))?.id).toBe(id);
  const next = await t.stack.must("up (after Ctrl-C)", ["up", "--yes"]);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks()).toHaveLength(1);
  expect(tasks()[0].status).toBe("SYNCHRONIZING");
});
