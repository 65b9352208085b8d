// oms:index:SyncEvent through the oms plugin over gRPC, as the engine calls it in preview, up, refresh and destroy,
// against the emulator: one POST per event, none on read, update or delete, and replaces for what asks anew.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { UNKNOWN } from "../../provider/core/values";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { DIFF, failureOf, NativePlugin } from "./support/native-plugin";
import { ops, SignatureLog, pluginPerFile } from "./support/stack";

const TYPE = "oms:index:SyncEvent";
type Props = Record<string, unknown>;
let emulator: OmsEmulator;
let plugin: NativePlugin;
const signatures = new SignatureLog();

pluginPerFile((started, own) => ([emulator, plugin] = [started, own]), { audit: signatures });

async function up(news: Props) {
  const { inputs, failures } = await plugin.check(TYPE, {}, news);
  expect(failures).toEqual([]);
  return { ...(await plugin.create(TYPE, inputs)), inputs };
}

describe("SyncEvent through the oms plugin", () => {
  it("create sends one POST with the keys URL-encoded and records OMS's answer", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const { id, properties, inputs } = await up({ syncTaskId: task.id, objectKeys: ["logs/a b.txt", "c.txt"] });
    expect(ops(emulator)).toEqual(["events"]);
    expect(emulator.requests[0].url).toBe(`/v2/${PROJECT_ID}/sync-tasks/${task.id}/events`);
    expect(JSON.parse(emulator.requests[0].body)).toEqual({ object_keys: ["logs%2Fa%20b.txt", "c.txt"] });
    expect(emulator.task(PROJECT_ID, task.id)?.events.map((e) => e.objectKeys)).toEqual([["logs/a b.txt", "c.txt"]]);
    expect(inputs).toMatchObject({ projectId: PROJECT_ID, region: "cn-north-4" });
    expect(properties).toMatchObject({
      syncTaskId: task.id,
      objectKeys: ["logs/a b.txt", "c.txt"],
      status: 200,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(id).toMatch(new RegExp(`^${task.id}:\\d{13}$`));
  });

  it("a preview sends nothing and leaves the answer unknown", async () => {
    const { inputs } = await plugin.check(TYPE, {}, { syncTaskId: "t-1", objectKeys: UNKNOWN });
    const created = await plugin.create(TYPE, inputs, true);
    expect(created.properties).toMatchObject({ objectKeys: UNKNOWN, status: UNKNOWN, sentAt: UNKNOWN });
    expect(emulator.requests).toHaveLength(0);
  });

  it("objectKeys and triggers changes replace (a new event); an endpoint change updates with no call", async () => {
    const olds = { syncTaskId: "t-1", objectKeys: ["a"], triggers: [1], projectId: PROJECT_ID, region: "cn-north-4" };
    const keys = await plugin.diff(TYPE, "t-1:1", olds, { ...olds, objectKeys: ["a", "b"] });
    expect(keys).toMatchObject({ changes: DIFF.DIFF_SOME, replaces: ["objectKeys"], deleteBeforeReplace: false });
    const triggers = await plugin.diff(TYPE, "t-1:1", olds, { ...olds, triggers: [2] });
    expect(triggers.replaces).toEqual(["triggers"]);
    const same = await plugin.diff(TYPE, "t-1:1", olds, { ...olds });
    expect(same.changes).toBe(DIFF.DIFF_NONE);
    const endpoint = await plugin.diff(TYPE, "t-1:1", olds, { ...olds, endpoint: emulator.url });
    expect(endpoint).toMatchObject({ changes: DIFF.DIFF_SOME, replaces: [] });
    const updated = await plugin.update(
      TYPE,
      "t-1:1",
      { ...olds, status: 200, sentAt: "x" },
      {
        ...olds,
        endpoint: emulator.url,
      },
    );
    expect(updated).toMatchObject({ status: 200, sentAt: "x", endpoint: emulator.url });
    expect(emulator.requests).toHaveLength(0);
  });

  it("refresh and destroy make no call: an event cannot be read back or taken back", async () => {
    const props = { syncTaskId: "t-1", objectKeys: ["a"], projectId: PROJECT_ID, status: 200, sentAt: "x" };
    const read = await plugin.read(TYPE, "t-1:1", props, { syncTaskId: "t-1", objectKeys: ["a"] });
    expect(read.id).toBe("t-1:1");
    expect(read.properties).toMatchObject(props);
    await plugin.delete(TYPE, "t-1:1", props);
    expect(emulator.requests).toHaveLength(0);
  });

  it("a paused task: the create fails with OMS.0066 and a hint to start it, sent once", async () => {
    const task = seedPaused(emulator);
    const { inputs } = await plugin.check(TYPE, {}, { syncTaskId: task.id, objectKeys: ["a"] });
    const error = await failureOf(plugin.create(TYPE, inputs));
    expect(error?.details).toContain("OMS.0066");
    expect(error?.details).toContain("start the task (state: started) first");
    expect(ops(emulator)).toEqual(["events:400"]);
  });

  it.each([
    ["11 keys", { objectKeys: Array.from({ length: 11 }, (_, i) => `k${i}`) }, "objectKeys must be a list of 1–10"],
    ["an empty key", { objectKeys: ["a", ""] }, "objectKeys[1] must be a non-empty object name"],
    ["no keys", { objectKeys: [] }, "objectKeys must be a list of 1–10"],
    ["triggers that are no list", { objectKeys: ["a"], triggers: "x" }, "triggers must be a list"],
    ["a bad task id", { objectKeys: ["a"], syncTaskId: "a/b" }, "syncTaskId cannot contain /"],
  ])("check refuses %s naming the input, and nothing is sent", async (_what, change, reason) => {
    const { failures } = await plugin.check(TYPE, {}, { syncTaskId: "t-1", ...change });
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toContain(reason);
    expect(emulator.requests).toHaveLength(0);
  });
});
