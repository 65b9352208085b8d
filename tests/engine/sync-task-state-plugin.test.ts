// The provider as `pulumi preview/up/refresh/destroy` runs it: the package installed from its tarball into a program
// directory, the provider serialized there, and Pulumi's own dynamic-provider plugin driving it over gRPC.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { ALL_UNKNOWN_INPUTS, PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";
import * as os from "os";
import { packedProgram, REPO, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, withoutProvider, type PluginError } from "../support/plugin";
import { ALL_SECRETS, API_KEY, TASK_KEYS } from "../support/secrets";
import { stackConfig } from "../support/stack";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];
const DIFF_NONE = 1;
const DIFF_SOME = 2;

let emulator: OmsEmulator;
let plugin: ProviderPlugin;
let providerText: string;
const ops = () => emulator.requests.map((r) => r.operation);

beforeAll(async () => {
  const program = packedProgram();
  providerText = serializeProviderIn(program.dir);
  emulator = await startEmulator();
  plugin = await ProviderPlugin.start(program.dir, providerText);
  await plugin.configure(stackConfig(emulator.url), SECRET_CONFIG);
}, 120_000);

afterAll(async () => {
  plugin?.stop();
  await emulator?.stop();
});

beforeEach(() => emulator.clearLog());

/** `pulumi up` of one resource from nothing: Check, then Create with the checked inputs. */
async function up(news: Record<string, unknown>) {
  const { inputs, failures } = await plugin.check({}, news);
  expect(failures).toEqual([]);
  return plugin.create(withoutProvider(inputs));
}

describe("the serialized provider", () => {
  it("is small, loads the implementation by package name, and holds no secret or local path", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).toContain('require("pulumi-oms-sync")');
    expect(ALL_SECRETS.filter((s) => providerText.includes(s))).toEqual([]);
    for (const localPath of [REPO, os.tmpdir(), "node_modules"]) expect(providerText).not.toContain(localPath);
  });
});

describe("through Pulumi's dynamic-provider plugin", () => {
  it("previews with unknown values in every input: no failure, and a diff of unknown changes", async () => {
    const task = seedPaused(emulator);
    const news = ALL_UNKNOWN_INPUTS;
    const { inputs, failures } = await plugin.check({}, news);
    expect(failures).toEqual([]);
    expect(withoutProvider(inputs)).toEqual(news);
    const olds = {
      syncTaskId: task.id,
      state: "paused",
      projectId: PROJECT_ID,
      region: "cn-north-4",
      timeoutSeconds: 300,
      status: "STOPPED",
    };
    const diff = await plugin.diff(task.id, olds, withoutProvider(inputs));
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: ["syncTaskId", "projectId", "region"] });
    expect(emulator.requests).toHaveLength(0);
  });

  it("runs up, a no-op up, a flip to paused and back, refresh after drift, and destroy", async () => {
    const task = seedPaused(emulator);
    const program = { syncTaskId: task.id, state: "started" };

    // up: the paused task starts.
    const created = await up(program);
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(created.id).toBe(task.id);
    expect(withoutProvider(created.properties)).toMatchObject({
      state: "started",
      status: "SYNCHRONIZING",
      projectId: PROJECT_ID,
    });

    // up again with nothing changed: zero API calls.
    emulator.clearLog();
    const again = await plugin.check(created.properties, program);
    expect(await plugin.diff(task.id, created.properties, withoutProvider(again.inputs))).toEqual({
      changes: DIFF_NONE,
      replaces: [],
    });
    expect(emulator.requests).toHaveLength(0);

    // state flipped to paused: an update, never a replace.
    const pausedInputs = (await plugin.check(created.properties, { ...program, state: "paused" })).inputs;
    expect(await plugin.diff(task.id, created.properties, withoutProvider(pausedInputs))).toEqual({
      changes: DIFF_SOME,
      replaces: [],
    });
    const paused = await plugin.update(task.id, created.properties, withoutProvider(pausedInputs));
    expect(ops()).toEqual(["show", "stop", "show"]);
    expect(paused).toMatchObject({ state: "paused", status: "STOPPED" });

    // and back.
    emulator.clearLog();
    const startedInputs = (await plugin.check(paused, program)).inputs;
    const started = await plugin.update(task.id, withoutProvider(paused), withoutProvider(startedInputs));
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(started).toMatchObject({ state: "started", status: "SYNCHRONIZING" });

    // refresh after the task was paused in the console: one GET, state follows OMS.
    emulator.setStatus(PROJECT_ID, task.id, "STOPPED");
    emulator.clearLog();
    const refreshed = await plugin.read(task.id, withoutProvider(started), withoutProvider(startedInputs));
    expect(ops()).toEqual(["show"]);
    expect(refreshed.id).toBe(task.id);
    expect(refreshed.properties).toMatchObject({ state: "paused", status: "STOPPED" });
    expect(withoutProvider(refreshed.inputs)).toMatchObject(plugin.readReturnsInputs ? { state: "paused" } : {});

    // the next up shows the drift and corrects it.
    emulator.clearLog();
    const correcting = (await plugin.check(refreshed.inputs, program)).inputs;
    expect(await plugin.diff(task.id, refreshed.properties, withoutProvider(correcting))).toEqual({
      changes: DIFF_SOME,
      replaces: [],
    });
    await plugin.update(task.id, withoutProvider(refreshed.properties), withoutProvider(correcting));
    expect(ops()).toEqual(["show", "start", "show"]);
    expect(emulator.task(PROJECT_ID, task.id)?.status).toBe("SYNCHRONIZING");

    // destroy: nothing that changes the task.
    emulator.clearLog();
    await plugin.delete(task.id, withoutProvider(refreshed.properties));
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.task(PROJECT_ID, task.id)?.status).toBe("SYNCHRONIZING");
  });

  it("drops a task deleted elsewhere on refresh (empty id)", async () => {
    const task = seedPaused(emulator);
    const created = await up({ syncTaskId: task.id, state: "paused" });
    emulator.removeTask(PROJECT_ID, task.id);
    emulator.clearLog();
    const refreshed = await plugin.read(task.id, withoutProvider(created.properties));
    expect(refreshed.id).toBe("");
    expect(ops()).toEqual(["show"]);
  });

  it("fails check per field with the fix, through gRPC", async () => {
    const { failures } = await plugin.check(
      {},
      { syncTaskId: "", state: "on", region: "eu-west-0", endpoint: "http://oms.example.com" },
    );
    expect(failures.map((f) => f.property)).toEqual(["syncTaskId", "state", "endpoint"]);
    expect(failures[1].reason).toBe('state must be "started" or "paused"; got "on"');
  });

  it("reports a start refused for wrong source keys as one readable error with the hint", async () => {
    const task = seedPaused(emulator, { keys: { ...TASK_KEYS, srcSk: "the-other-key" } });
    const error = (await up({ syncTaskId: task.id, state: "started" }).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe(2); // UNKNOWN, as the plugin reports every create failure
    expect(error.details).toMatch(
      new RegExp(`^OMS start of sync task ${task.id} failed: HTTP 400 OMS\\.1014 .*\\(request id [0-9a-f]{32}\\)\\. `),
    );
    expect(error.details).toContain("Check the source access key pair (oms:srcAk / oms:srcSk, or credentials)");
    expect(ops()).toEqual(["show", "start"]);
  });

  it("reports a refresh against a wrong endpoint without a JavaScript stack", async () => {
    const task = seedPaused(emulator);
    const created = await up({ syncTaskId: task.id, state: "paused" });
    emulator.inject({
      fault: { kind: "status", status: 404, body: '{"error_code":"APIG.0101","error_msg":"The API does not exist"}' },
    });
    const stderrBefore = plugin.stderr.length;
    const error = (await plugin
      .read(task.id, withoutProvider(created.properties))
      .catch((e: unknown) => e)) as PluginError;
    expect(error.details).toContain("APIG.0101");
    const printed = plugin.stderr.slice(stderrBefore);
    expect(printed).toContain("APIG.0101");
    expect(printed).not.toMatch(/\n\s+at /);
  });

  type Setup = (taskId: string) => Record<string, unknown> | void;
  const failures: [string, boolean, Setup, RegExp][] = [
    [
      "wrong destination keys (OMS.1020)",
      false,
      (id) =>
        void emulator.inject({
          taskId: id,
          operation: "start",
          fault: {
            kind: "status",
            status: 400,
            body: '{"error_code":"OMS.1020","error_msg":"cannot access the destination bucket"}',
          },
        }),
      /HTTP 400 OMS\.1020 .*oms:dstAk \/ oms:dstSk/,
    ],
    [
      "a bad signature (APIG.0303)",
      false,
      (id) =>
        void emulator.inject({
          taskId: id,
          fault: {
            kind: "status",
            status: 401,
            body: '{"error_code":"APIG.0303","error_msg":"Incorrect app authentication information"}',
          },
        }),
      /HTTP 401 APIG\.0303 .*clock is within 15 minutes/,
    ],
    ["a completed task (OMS.0070)", true, () => undefined, /OMS\.0070 .*OMS cannot start or stop it/],
    [
      "a task that does not exist (OMS.1009)",
      false,
      () => ({ syncTaskId: "no-such-task" }),
      /OMS show of sync task no-such-task failed: HTTP 404 OMS\.1009 .*Check syncTaskId/,
    ],
    [
      "a gateway HTML page (403)",
      false,
      (id) => void emulator.inject({ taskId: id, fault: { kind: "html", status: 403 } }),
      /HTTP 403 with a non-JSON body: "403 Gateway Error"/,
    ],
    [
      "malformed JSON in a 200 (INVALID_RESPONSE)",
      false,
      (id) => void emulator.inject({ taskId: id, fault: { kind: "status", status: 200, body: "{" } }),
      /the response body is not JSON/,
    ],
    [
      "an endpoint where nothing listens (NETWORK_ERROR)",
      false,
      () => ({ endpoint: "http://127.0.0.1:1", timeoutSeconds: 1 }),
      /could not reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    ],
    [
      "a start that never shows (TIMEOUT)",
      false,
      (id) => {
        emulator.inject({ taskId: id, operation: "start", fault: { kind: "status", status: 200, body: "" } });
        return { timeoutSeconds: 0.3 };
      },
      /OMS wait of sync task .* did not show status SYNCHRONIZING within 0\.3 s \(last status seen: STOPPED\)/,
    ],
  ];

  it.each(failures)(
    "reports %s through gRPC as one readable line with nothing secret",
    async (_name, completed, setup, expected) => {
      const task = seedPaused(emulator, { completed });
      const extra = setup(task.id) ?? {};
      const stderrBefore = plugin.stderr.length;
      const error = (await up({ syncTaskId: task.id, state: "started", ...extra }).catch(
        (e: unknown) => e,
      )) as PluginError;
      expect(error.code).toBe(2);
      expect(error.details).toMatch(expected);
      expect(error.details).not.toContain("\n");
      expect(plugin.stderr.slice(stderrBefore)).not.toMatch(/\n\s+at /);
      expect(ALL_SECRETS.filter((s) => error.details.includes(s))).toEqual([]);
      emulator.clearFaults();
    },
  );

  it("leaks no configured secret into any property bag, __provider, error or plugin output", () => {
    const places = {
      returned: plugin.returned.join("\n"),
      provider: providerText,
      stdout: plugin.stdout,
      stderr: plugin.stderr,
    };
    const hits = Object.entries(places).flatMap(([place, text]) =>
      ALL_SECRETS.filter((s) => text.includes(s)).map((s) => `${s} in ${place}`),
    );
    expect(hits).toEqual([]);
    expect(plugin.returned.length).toBeGreaterThan(10);
    expect(API_KEY.secretKey.length).toBeGreaterThan(10);
  });
});
