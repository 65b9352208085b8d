// SyncTaskState's lifecycle in process against the emulator: exact request sequences for each operation, and no leaks.
import { OmsError, lifecycle } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, seedPaused } from "../support/fixture";
import { ALL_SECRETS, everythingIn, leaksIn, signaturesIn, TASK_KEYS } from "../support/secrets";
import { checkedInputs, emulatorPerTest, useStack as useStackOf } from "../support/in-process";

let emulator: OmsEmulator;
const ops = () => emulator.requests.map((r) => r.operation);

const useStack = (overrides: Record<string, string | undefined> = {}) => useStackOf(emulator.url, overrides);

emulatorPerTest((started) => (emulator = started));

const checked = (news: Record<string, unknown>) => checkedInputs(lifecycle, news);

function expectNoLeaks(value: unknown) {
  const text = value instanceof Error ? everythingIn(value) : JSON.stringify(value);
  expect(leaksIn(text, signaturesIn(emulator.requests.map((r) => r.headers)))).toEqual([]);
}

describe("create", () => {
  it("starts a paused task with GET, POST start, GET and reports SYNCHRONIZING", async () => {
    const task = seedPaused(emulator);
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));

    expect(ops()).toEqual(["show", "start", "show"]);
    expect(JSON.parse(emulator.log("start")[0].body)).toEqual({
      src_ak: TASK_KEYS.srcAk,
      src_sk: TASK_KEYS.srcSk,
      dst_ak: TASK_KEYS.dstAk,
      dst_sk: TASK_KEYS.dstSk,
    });
    expect(result.id).toBe(task.id);
    expect(result.outs).toEqual({
      syncTaskId: task.id,
      state: "started",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
      timeoutSeconds: 300,
      status: "SYNCHRONIZING",
      lastStartTime: new Date(emulator.task(PROJECT_ID, task.id)!.lastStartTime!).toISOString(),
      startKeysDigest: expect.stringMatching(/^hmac-sha256:[\w-]{22}:[\w-]{43}$/),
    });
    expectNoLeaks(result);
  });

  it("makes one GET and no POST when the task is already synchronizing", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));
    expect(ops()).toEqual(["show"]);
    expect(result.outs.status).toBe("SYNCHRONIZING");
  });

  it("pauses a running task with a body-less stop", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "paused" }));
    expect(ops()).toEqual(["show", "stop", "show"]);
    expect(emulator.log("stop")[0].body).toBe("");
    expect(result.outs).toMatchObject({ state: "paused", status: "STOPPED" });
  });

  it("polls until a delayed start shows", async () => {
    emulator.configure({ transitionDelayMs: 100 });
    const task = seedPaused(emulator);
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));
    expect(result.outs.status).toBe("SYNCHRONIZING");
    const log = ops();
    expect(log.slice(0, 3)).toEqual(["show", "start", "show"]);
    expect(log.filter((op) => op === "start")).toHaveLength(1);
    expect(log.length).toBeGreaterThan(3);
  });

  it("counts OMS.0065 on start as success (a start already under way)", async () => {
    emulator.configure({ transitionDelayMs: 60_000 });
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "apply-then-reset" } });
    const error = await lifecycle
      .create(await checked({ syncTaskId: task.id, state: "started", timeoutSeconds: 0.3 }))
      .catch((e: unknown) => e);
    // The start took effect once; the retry answered OMS.0065 and waiting went on until the deadline.
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
    expect(emulator.log("start").map((r) => r.outcome)).toEqual(["reset", 400]);
    expect(error).toMatchObject({ code: "TIMEOUT" });
  });

  it("times out naming the last status and what it recorded, and the next up does not start twice", async () => {
    emulator.configure({ transitionDelayMs: 400 });
    const task = seedPaused(emulator);
    const inputs = await checked({ syncTaskId: task.id, state: "started", timeoutSeconds: 0.15 });
    const error = (await lifecycle.create(inputs).catch((e: unknown) => e)) as OmsError;
    expect(error).toBeInstanceOf(OmsError);
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toBe(
      `OMS wait of sync task ${task.id} failed: OMS did not show status SYNCHRONIZING within 0.15 s (last status seen: STOPPED). Run \`pulumi up\` again to keep waiting (it sends no second start once OMS shows SYNCHRONIZING), or raise timeoutSeconds. Recorded in state: a start was sent and OMS last showed STOPPED; the next \`pulumi up\` finishes it, or reverses it if the program asks for the other state by then`,
    );
    expect(error.stack).toBe("TIMEOUT");
    expect((error as unknown as { id: string }).id).toBe(task.id);
    expect((error as unknown as { properties: object }).properties).toMatchObject({
      state: "started",
      status: "STOPPED",
    });
    expectNoLeaks(error);

    await new Promise((r) => setTimeout(r, 450));
    emulator.clearLog();
    const again = await lifecycle.create(inputs);
    expect(again.outs.status).toBe("SYNCHRONIZING");
    expect(ops()).toEqual(["show"]);
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  it("fails clearly for a completed task (OMS.0070)", async () => {
    const task = seedPaused(emulator, { completed: true });
    const error = (await lifecycle
      .create(await checked({ syncTaskId: task.id, state: "started" }))
      .catch((e: unknown) => e)) as OmsError;
    expect(error.errorCode).toBe("OMS.0070");
    expect(error.message).toContain("The task has completed; OMS cannot start or stop it");
    expect(ops()).toEqual(["show", "start"]);
    expectNoLeaks(error);
  });

  it("fails with the source-key hint when the configured source keys are wrong", async () => {
    useStack({ "oms:srcSk": "srcsk-LEAKCANARY-0005-but-wrong" });
    const task = seedPaused(emulator);
    const error = (await lifecycle
      .create(await checked({ syncTaskId: task.id, state: "started" }))
      .catch((e: unknown) => e)) as OmsError;
    expect(error.errorCode).toBe("OMS.1014");
    expect(error.message).toContain("oms:srcAk / oms:srcSk");
    expect(everythingIn(error)).not.toContain("srcsk-LEAKCANARY-0005-but-wrong");
    expectNoLeaks(error);
  });

  it("uses the resource's credentials input instead of config", async () => {
    const keys = { srcAk: "res-src-ak", srcSk: "res-src-sk", dstAk: "res-dst-ak", dstSk: "res-dst-sk" };
    const task = seedPaused(emulator, { keys });
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started", credentials: keys }));
    expect(JSON.parse(emulator.log("start")[0].body)).toEqual({
      src_ak: "res-src-ak",
      src_sk: "res-src-sk",
      dst_ak: "res-dst-ak",
      dst_sk: "res-dst-sk",
    });
    expect(result.outs.credentials).toEqual(keys);
  });

  it("reports missing API authentication as a CONFIG_ERROR without calling OMS", async () => {
    useStack({ "oms:accessKey": undefined, "oms:secretKey": undefined });
    const error = (await lifecycle
      .create({ syncTaskId: "t", state: "started", projectId: PROJECT_ID, endpoint: emulator.url, timeoutSeconds: 5 })
      .catch((e: unknown) => e)) as OmsError;
    expect(error.code).toBe("CONFIG_ERROR");
    expect(error.message).toContain("no OMS API authentication is configured");
    expect(emulator.requests).toHaveLength(0);
    expectNoLeaks(error);
  });

  it("reports a start key missing at create time by its config key, after one GET and without a start", async () => {
    useStack({ "oms:dstSk": undefined });
    const task = seedPaused(emulator);
    const error = (await lifecycle
      .create({
        syncTaskId: task.id,
        state: "started",
        projectId: PROJECT_ID,
        endpoint: emulator.url,
        timeoutSeconds: 5,
      })
      .catch((e: unknown) => e)) as OmsError;
    expect(error).toMatchObject({ code: "CONFIG_ERROR", taskId: task.id });
    expect(error.message).toContain("set it with `pulumi config set --secret oms:dstSk <value>`");
    expect(ops()).toEqual(["show"]);
    expectNoLeaks(error);
  });
});

describe("update", () => {
  it("flips paused to started with one start, and back with one stop", async () => {
    const task = seedPaused(emulator);
    const paused = await lifecycle.create(await checked({ syncTaskId: task.id, state: "paused" }));
    expect(ops()).toEqual(["show"]);
    emulator.clearLog();
    const started = await lifecycle.update(
      task.id,
      paused.outs,
      await checked({ syncTaskId: task.id, state: "started" }),
    );
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(started.outs).toMatchObject({ state: "started", status: "SYNCHRONIZING" });
    emulator.clearLog();
    const again = await lifecycle.update(
      task.id,
      started.outs!,
      await checked({ syncTaskId: task.id, state: "paused" }),
    );
    expect(ops()).toEqual(["show", "stop", "show"]);
    expect(again.outs).toMatchObject({ state: "paused", status: "STOPPED" });
  });

  it("records an endpoint or timeout change without any request", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING", lastStartTime: 1_700_000_000_000 });
    const created = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));
    emulator.clearLog();
    const news = {
      ...(await checked({ syncTaskId: task.id, state: "started", timeoutSeconds: 60 })),
      endpoint: `${emulator.url}/`,
    };
    const result = await lifecycle.update(task.id, created.outs, news);
    expect(emulator.requests).toHaveLength(0);
    expect(result.outs).toMatchObject({
      timeoutSeconds: 60,
      endpoint: `${emulator.url}/`,
      status: "SYNCHRONIZING",
      lastStartTime: "2023-11-14T22:13:20.000Z",
    });
  });
});

describe("read (refresh)", () => {
  it("makes one GET and follows a task paused behind Pulumi's back", async () => {
    const task = seedPaused(emulator);
    const created = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));
    emulator.setStatus(PROJECT_ID, task.id, "STOPPED");
    emulator.clearLog();
    const refreshed = await lifecycle.read(task.id, { ...created.outs, __provider: "serialized" });
    expect(ops()).toEqual(["show"]);
    expect(refreshed.id).toBe(task.id);
    expect(refreshed.props).toMatchObject({ state: "paused", status: "STOPPED" });
    expect(refreshed.inputs).toEqual({
      syncTaskId: task.id,
      state: "paused",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      endpoint: emulator.url,
      timeoutSeconds: 300,
    });

    // The next preview shows the drift, and up corrects it.
    const news = await checked({ syncTaskId: task.id, state: "started" });
    expect(await lifecycle.diff(task.id, refreshed.props!, news)).toMatchObject({ changes: true, replaces: [] });
    emulator.clearLog();
    await lifecycle.update(task.id, refreshed.props!, news);
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, task.id)?.status).toBe("SYNCHRONIZING");
  });

  it.each([404, 400] as const)("returns an empty id when the task was deleted (answered %i)", async (mode) => {
    emulator.configure({ missingTask: mode });
    const props = await checked({ syncTaskId: "deleted-task", state: "started" });
    expect(await lifecycle.read("deleted-task", props)).toEqual({ id: "" });
    expect(ops()).toEqual(["show"]);
  });

  it("keeps the resource and fails when the gateway says the API does not exist (a wrong endpoint)", async () => {
    const props = await checked({ syncTaskId: "t", state: "started" });
    emulator.inject({
      fault: { kind: "status", status: 404, body: '{"error_code":"APIG.0101","error_msg":"The API does not exist"}' },
    });
    await expect(lifecycle.read("t", props)).rejects.toMatchObject({ errorCode: "APIG.0101" });
  });
});

describe("delete", () => {
  it("leaves the task as it is and sends nothing", async () => {
    const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
    await lifecycle.remove();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.task(PROJECT_ID, task.id)?.status).toBe("SYNCHRONIZING");
  });
});

describe("unexpected failures", () => {
  it("become one readable error with no JavaScript stack", async () => {
    const error = (await lifecycle.create(null as never).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^SyncTaskState failed unexpectedly: /);
    expect(error.stack).toBe("UNEXPECTED");
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("keep out of outputs built from config", async () => {
    const task = seedPaused(emulator);
    const result = await lifecycle.create(await checked({ syncTaskId: task.id, state: "started" }));
    const refreshed = await lifecycle.read(task.id, result.outs);
    expect(ALL_SECRETS.filter((s) => JSON.stringify([result, refreshed]).includes(s))).toEqual([]);
  });
});
