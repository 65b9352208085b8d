// Failures as the real Pulumi CLI shows them, and what the next command does: a wrong key, a start that times out, a
// create whose wait fails, a timed-out flip followed by the program flipped back (under both readings of OMS), a
// refused delete followed by up, and `pulumi import` of a dynamic resource. Every step is audited for secrets.
import * as fs from "fs";
import * as path from "path";
import type { OpposingCall } from "../../emulator/oms-emulator";
import { PROJECT_ID } from "../support/fixture";
import { REPO } from "../support/packed-program";
import { SYNC_TASK_TYPE } from "../support/plugin";
import { TASK_KEYS } from "../support/secrets";
import { CliStack } from "./support/cli";
import { stackPerTest } from "./support/per-test";

const WRONG_SRC_SK = "srcsk-LEAKCANARY-cli-wrong-0105";
const ROTATED_SRC_AK = "srcak-LEAKCANARY-cli-rotated-0106";

const t = stackPerTest("failures", "2");

const tasks = () => t.emulator.allTasks();
const recorded = async () => t.stack.resource(SYNC_TASK_TYPE, "logs");
const output = (step: { stdout: string; stderr: string }) => `${step.stdout}\n${step.stderr}`;

it("a wrong source key fails the start with OMS's code and the config keys that fix it, exit non-zero, no key", async () => {
  await t.stack.setConfig("state", "paused", false);
  await t.stack.must("up (paused)", ["up", "--yes"]);
  await t.stack.setConfig("oms:srcSk", WRONG_SRC_SK, true);
  await t.stack.setConfig("state", "started", false);
  const step = await t.stack.run("up (wrong srcSk)", ["up", "--yes"]);
  expect(step.exit).not.toBe(0);
  expect(output(step)).toMatch(/OMS\.1014/);
  expect(output(step)).toContain("oms:srcAk / oms:srcSk");
  expect(tasks()[0].status).toBe("STOPPED");
});

it("a start that times out says so; the rerun converges without a second start", async () => {
  await t.stack.setConfig("state", "paused", false);
  await t.stack.must("up (paused)", ["up", "--yes"]);
  const startsBefore = tasks()[0].effectiveStarts;
  t.emulator.configure({ transitionDelayMs: 4_000 });
  await t.stack.setConfig("state", "started", false);
  const step = await t.stack.run("up (start times out)", ["up", "--yes"]);
  expect(step.exit).not.toBe(0);
  expect(output(step)).toMatch(/did not show status SYNCHRONIZING within 2 s/);
  // The engine kept what the provider reported with the partial failure: a start asked for, STOPPED seen.
  expect((await recorded())?.outputs).toMatchObject({ state: "started", status: "STOPPED" });
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  t.emulator.configure({ transitionDelayMs: 0 });
  const rerun = await t.stack.must("up (rerun)", ["up", "--yes"]);
  expect(CliStack.mutations(rerun)).toEqual({});
  expect(tasks()[0].effectiveStarts).toBe(startsBefore + 1);
  expect((await recorded())?.outputs).toMatchObject({ state: "started", status: "SYNCHRONIZING" });
});

it("a create whose wait fails records the task's id; a refresh clears its init errors; up makes no second task", async () => {
  t.emulator.configure({ transitionDelayMs: 5_000 });
  const step = await t.stack.run("up (create, wait fails)", ["up", "--yes"]);
  expect(step.exit).not.toBe(0);
  expect(tasks()).toHaveLength(1);
  expect((await recorded())?.id).toBe(tasks()[0].id);
  expect((await recorded())?.initErrors?.length).toBe(1);
  t.emulator.configure({ transitionDelayMs: 0 });
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  // The engine model's rule: a refresh that succeeds clears the init errors (and reads OMS's status).
  await t.stack.must("refresh (after the failed create)", ["refresh", "--yes"]);
  expect((await recorded())?.initErrors).toBeUndefined();
  expect((await recorded())?.outputs).toMatchObject({ state: "started", status: "SYNCHRONIZING" });
  const next = await t.stack.must("up (converge)", ["up", "--yes"]);
  expect(CliStack.mutations(next)).toEqual({});
  expect(tasks()).toHaveLength(1);
  expect(tasks()[0].status).toBe("SYNCHRONIZING");
});

it("a create that fails after OMS made the task, then a rotated key: the next up restarts it with the new key", async () => {
  t.emulator.configure({ transitionDelayMs: 4_000 });
  expect((await t.stack.run("up (create, wait fails)", ["up", "--yes"])).exit).not.toBe(0);
  t.emulator.configure({ transitionDelayMs: 0 });
  const id = tasks()[0].id;
  t.emulator.rotateKeys(PROJECT_ID, id, { ...TASK_KEYS, srcAk: ROTATED_SRC_AK });
  await t.stack.setConfig("oms:srcAk", ROTATED_SRC_AK, true);
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  const next = await t.stack.must("up (rotated after the failed create)", ["up", "--yes"]);
  expect(CliStack.mutations(next)).toEqual({ stop: 1, start: 1 });
  expect(tasks()).toHaveLength(1);
  expect(tasks()[0].runningKeys?.srcAk).toBe(ROTATED_SRC_AK);
});

const FLIPS = [
  { from: "started", to: "paused", counter: "start", status: "SYNCHRONIZING", other: "STOPPED" },
  { from: "paused", to: "started", counter: "stop", status: "STOPPED", other: "SYNCHRONIZING" },
] as const;

/** Resolves once OMS has answered `operation` with `outcome`, in a request logged from index `from` on. */
async function answered(operation: string, outcome: number, from: number): Promise<void> {
  while (!t.emulator.requests.slice(from).some((r) => r.operation === operation && r.outcome === outcome)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Both readings of what OMS does with a start while a stop is under way (and the reverse); see docs/emulator.md.
describe.each<OpposingCall>(["reverses", "refused-until-done"])("an OMS whose opposing call %s", (opposingCall) => {
  it.each(FLIPS)(
    "a timed-out flip to $to, then the program flipped back to $from: up leaves the task $from",
    async (flip) => {
      t.emulator.configure({ opposingCall });
      await t.stack.setConfig("state", flip.from, false);
      await t.stack.must(`up (${flip.from})`, ["up", "--yes"]);
      // The change stays under way until the test completes it (below), however slow the machine.
      t.emulator.configure({ transitionDelayMs: 600_000 });
      await t.stack.setConfig("state", flip.to, false);
      expect((await t.stack.run(`up (${flip.to}, times out)`, ["up", "--yes"])).exit).not.toBe(0);
      const id = tasks()[0].id;
      expect(t.emulator.task(PROJECT_ID, id)?.pending?.target).toBe(flip.other);
      t.emulator.configure({ transitionDelayMs: 0 });
      await t.stack.setConfig("state", flip.from, false);
      await t.stack.setConfig("timeoutSeconds", "60", false);
      const from = t.emulator.requests.length;
      const running = t.stack.must("up (flipped back)", ["up", "--yes"]);
      if (opposingCall === "refused-until-done") {
        // Answered "already" while the earlier change is under way; the up waits for it. OMS completes it now.
        await answered(flip.counter, 400, from);
        t.emulator.setStatus(PROJECT_ID, id, flip.other);
      }
      const back = await running;
      // Reversing OMS takes the call at once; the other answers it "already" until the change is done, then takes it.
      expect(CliStack.mutations(back)).toEqual({ [flip.counter]: opposingCall === "reverses" ? 1 : 2 });
      expect(t.emulator.task(PROJECT_ID, id)).toMatchObject({ status: flip.status, pending: undefined });
      expect((await recorded())?.outputs).toMatchObject({ state: flip.from, status: flip.status });
      const next = await t.stack.must("up (no change)", ["up", "--yes"]);
      expect(CliStack.mutations(next)).toEqual({});
    },
  );
});

it("a destroy whose delete is refused after the pause starts the task again, and the next up finds it running", async () => {
  await t.stack.must("up (started)", ["up", "--yes"]);
  t.emulator.inject({
    operation: "delete",
    fault: { kind: "status", status: 403, body: '{"error_code":"OMS.0053","error_msg":"no permission"}' },
  });
  const destroy = await t.stack.run("destroy (delete refused)", ["destroy", "--yes"]);
  expect(destroy.exit).not.toBe(0);
  expect(output(destroy)).toContain("it was started again");
  expect(CliStack.mutations(destroy)).toEqual({ stop: 1, delete: 1, start: 1 });
  const up = await t.stack.must("up (after failed destroy)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({});
  expect(tasks()[0].status).toBe("SYNCHRONIZING");
});

/** The CLI's answer to `pulumi import` of a dynamic resource, as the README's Limits quote it. */
const IMPORT_ANSWER = /No `pulumi import` of the dynamic resources\*\*: the CLI answers `([^`]+)`/
  .exec(fs.readFileSync(path.join(REPO, "README.md"), "utf8"))![1]
  .replace(/\s+/g, " ");

it("`pulumi import` of a dynamic resource: the answer the README quotes, and OMS sees no call", async () => {
  const seeded = t.emulator.seedTask({ projectId: PROJECT_ID, srcBucket: "imp-src", dstBucket: "imp-dst" });
  const step = await t.stack.run("import SyncTask", ["import", SYNC_TASK_TYPE, "imported", seeded.id, "--yes"]);
  process.stdout.write(`\npulumi import answered:\n${output(step)}\n`);
  expect(IMPORT_ANSWER).toBe("Preview failed: code must be a string, not undefined");
  expect(step.exit).not.toBe(0);
  expect(output(step)).toContain(IMPORT_ANSWER);
  expect(step.calls).toEqual({});
  expect(await t.stack.resource(SYNC_TASK_TYPE, "imported")).toBeUndefined();
});
