// SyncEvent in a Node.js program: what `new SyncEvent(...)` registers (recorded by setMocks: the serialized provider
// only loads the lifecycle by name), and the lifecycle the engine then runs, against the emulator.
import * as pulumi from "@pulumi/pulumi";
import { eventLifecycle, OmsError, SyncEvent } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { checkedInputs, emulatorPerTest, failureOf } from "../support/in-process";
import { leaksIn } from "../support/secrets";

const registered: { type: string; inputs: Record<string, unknown> }[] = [];
const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("new SyncEvent(...)", () => {
  beforeAll(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, inputs: args.inputs });
          return { id: "t-1:1", state: { ...args.inputs, status: 200 } };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
  });

  it("registers pulumi-nodejs:dynamic/oms:SyncEvent with the given inputs and a provider that loads eventLifecycle", async () => {
    const event = new SyncEvent("now", { syncTaskId: "t-1", objectKeys: ["a", "b"], triggers: ["v2"] });
    expect(await valueOf(event.status)).toBe(200);
    expect(registered).toHaveLength(1);
    const { __provider: provider, ...rest } = registered[0].inputs;
    expect(registered[0].type).toBe("pulumi-nodejs:dynamic/oms:SyncEvent");
    expect(rest).toEqual({ syncTaskId: "t-1", objectKeys: ["a", "b"], triggers: ["v2"] });
    expect(provider).toContain('require("pulumi-oms-sync").eventLifecycle.create');
    expect(String(provider).length).toBeLessThan(4_000);
  });
});

describe("the SyncEvent lifecycle", () => {
  let emulator: OmsEmulator;
  emulatorPerTest((started) => (emulator = started));

  it("check fills the connection from config; create sends one POST; delete sends nothing", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const inputs = await checkedInputs(eventLifecycle, { syncTaskId: task.id, objectKeys: ["x/y z"] });
    expect(inputs).toEqual({
      syncTaskId: task.id,
      objectKeys: ["x/y z"],
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
    });
    const { id, outs } = await eventLifecycle.create(inputs);
    expect(emulator.requests.map((r) => `${r.method} ${r.operation} ${r.outcome} ${r.body}`)).toEqual([
      'POST events 200 {"object_keys":["x%2Fy%20z"]}',
    ]);
    expect(outs).toMatchObject({ status: 200, sentAt: expect.any(String) });
    expect(id.startsWith(`${task.id}:`)).toBe(true);
    await eventLifecycle.remove();
    expect(emulator.requests).toHaveLength(1);
    expect(leaksIn(JSON.stringify(outs))).toEqual([]);
  });

  it("a paused task: the create's error is OMS.0066 with the hint, holding no secret", async () => {
    const task = seedPaused(emulator);
    const inputs = await checkedInputs(eventLifecycle, { syncTaskId: task.id, objectKeys: ["a"] });
    const error = await failureOf(eventLifecycle.create(inputs), emulator);
    expect(error).toBeInstanceOf(OmsError);
    expect(error.errorCode).toBe("OMS.0066");
    expect(emulator.requests).toHaveLength(1);
  });
});
