// What a program registers when it writes `new SyncTaskState(...)`, recorded by pulumi.runtime.setMocks.
import * as pulumi from "@pulumi/pulumi";
import { lifecycle, SyncTaskState, type SyncTaskStateArgs } from "../../provider";
import { TASK_KEYS } from "../support/secrets";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: String(args.inputs.syncTaskId), state: { ...args.inputs, status: "STOPPED" } };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
});
beforeEach(() => {
  registered.length = 0;
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

it("registers one pulumi-nodejs:dynamic/oms:SyncTaskState with exactly the given inputs and the serialized provider", async () => {
  const resource = new SyncTaskState("mirror", { syncTaskId: "task-1", state: "paused", timeoutSeconds: 60 });
  expect(await valueOf(resource.id)).toBe("task-1");
  expect(registered).toHaveLength(1);
  const [{ type, name, inputs }] = registered;
  expect([type, name]).toEqual(["pulumi-nodejs:dynamic/oms:SyncTaskState", "mirror"]);
  const { __provider: provider, ...rest } = inputs;
  expect(rest).toEqual({ syncTaskId: "task-1", state: "paused", timeoutSeconds: 60 });
  expect(provider).toContain('require("pulumi-oms-sync").lifecycle.create');
  expect(await valueOf(resource.status)).toBe("STOPPED");
});

it("passes per-resource credentials only as a secret", async () => {
  const resource = new SyncTaskState("with-keys", { syncTaskId: "task-2", state: "started", credentials: TASK_KEYS });
  expect(await pulumi.isSecret(resource.credentials)).toBe(true);
  // The engine receives the input wrapped as a secret, so it stores it (and the output of the same name) encrypted.
  expect(registered[0].inputs.credentials).toEqual({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value: TASK_KEYS,
  });
  const plain = new SyncTaskState("without-keys", { syncTaskId: "task-3", state: "started" });
  await valueOf(plain.id);
  expect(registered[1].inputs).not.toHaveProperty("credentials");
});

it("registers a key that is no input as given, so the check names it instead of the key being dropped", async () => {
  const args = { syncTaskId: "task-4", state: "paused", stat: "paused" } as unknown as SyncTaskStateArgs;
  const resource = new SyncTaskState("typo", args);
  await valueOf(resource.id);
  const { __provider: _provider, ...inputs } = registered[0].inputs;
  expect(inputs).toEqual({ syncTaskId: "task-4", state: "paused", stat: "paused" });
  const { failures } = await lifecycle.check({}, inputs);
  expect(failures).toContainEqual({
    property: "stat",
    reason: expect.stringMatching(/^stat is not an input of SyncTaskState; inputs are syncTaskId, state, /),
  });
});
