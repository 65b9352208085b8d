// What every program on the `oms` plugin (Python, Go) promises after its up, checked once for each language.
import { TASK_KEYS } from "../../support/secrets";
import { CliStack } from "./cli";

/** `pulumi refresh`: at least one show per task of the program, and no call that changes one. */
export async function expectRefreshReadsOnly(stack: CliStack, tasks: number): Promise<void> {
  const step = await stack.must("refresh", ["refresh", "--yes"]);
  expect(CliStack.mutations(step)).toEqual({});
  expect(step.calls.show ?? 0).toBeGreaterThanOrEqual(tasks);
}

/** The exported state: both resources and the `oms` provider, no planted key in plain text, and the stack's audit. */
export async function expectKeysOnlyAsCiphertext(stack: CliStack): Promise<void> {
  const exported = await stack.exported();
  const types = exported.deployment.resources?.map((r) => r.type);
  expect(types).toEqual(
    expect.arrayContaining(["oms:index:SyncTask", "oms:index:SyncTaskState", "pulumi:providers:oms"]),
  );
  const state = JSON.stringify(exported);
  for (const key of Object.values(TASK_KEYS)) expect(state).not.toContain(key);
  stack.audit();
}
