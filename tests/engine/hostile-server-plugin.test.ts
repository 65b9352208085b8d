// What the engine sees when the server is hostile: gRPC errors, property bags and plugin output, through Pulumi's own
// dynamic-provider plugin running the packed package.
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedPaused, startEmulator } from "../support/fixture";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { ProviderPlugin, withoutProvider, type PluginError } from "../support/plugin";
import { ALL_SECRETS, API_KEY, TASK_KEYS, signaturesIn } from "../support/secrets";
import { stackConfig } from "../support/stack";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];

let emulator: OmsEmulator;
let plugin: ProviderPlugin;
const ops = () => emulator.requests.map((r) => `${r.operation}:${r.outcome}`);
const signatures = () => signaturesIn(emulator.requests.map((r) => r.headers));
/** Every signature the provider sent during the whole file, collected before each log reset. */
const sent = new Set<string>();

beforeAll(async () => {
  const program = packedProgram();
  emulator = await startEmulator();
  plugin = await ProviderPlugin.start(program.dir, serializeProviderIn(program.dir));
  await plugin.configure(stackConfig(emulator.url), SECRET_CONFIG);
}, 120_000);

afterAll(async () => {
  plugin?.stop();
  await emulator?.stop();
});

beforeEach(() => {
  for (const s of signatures()) sent.add(s);
  emulator.clearLog();
  emulator.clearFaults();
});

async function upFails(news: Record<string, unknown>): Promise<PluginError> {
  const { inputs, failures } = await plugin.check({}, news);
  expect(failures).toEqual([]);
  const error = (await plugin.create(withoutProvider(inputs)).then(
    () => undefined,
    (e: unknown) => e,
  )) as PluginError;
  expect(error).toMatchObject({ code: 2 });
  const leaked = [...ALL_SECRETS, ...signatures()].filter((s) => error.details.toLowerCase().includes(s.toLowerCase()));
  expect(leaked).toEqual([]);
  return error;
}

describe("a hostile server, through the plugin", () => {
  it("quotes the request's Authorization header back: neither the AK nor the signature is shown", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      fault: {
        kind: "status",
        status: 401,
        body: '{"error_code":"APIG.0303","error_msg":"bad header {{authorization}}"}',
      },
    });
    const error = await upFails({ syncTaskId: task.id, state: "started" });
    expect(error.details).toContain("Access=***, SignedHeaders=");
    expect(error.details).toContain("Signature=***");
  });

  it("puts a start key into error_code and the access key into X-Request-Id: both are dropped", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "start",
      fault: {
        kind: "status",
        status: 400,
        body: JSON.stringify({ error_code: TASK_KEYS.srcSk, error_msg: "refused" }),
        headers: { "X-Request-Id": API_KEY.accessKey },
      },
    });
    const error = await upFails({ syncTaskId: task.id, state: "started" });
    expect(error.details).toBe(`OMS start of sync task ${task.id} failed: HTTP 400 refused`);
  });

  it("echoes start keys in the poll after the start: masked", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      operation: "show",
      after: 1,
      fault: {
        kind: "status",
        status: 400,
        body: JSON.stringify({ error_code: "OMS.0064", error_msg: `${TASK_KEYS.srcAk}:${TASK_KEYS.srcSk}` }),
      },
    });
    const error = await upFails({ syncTaskId: task.id, state: "started" });
    expect(ops()).toEqual(["show:200", "start:200", "show:400"]);
    expect(error.details).toContain("HTTP 400 OMS.0064 ***:***");
  });

  it.each([
    ["a status holding a key", `STOPPED ${TASK_KEYS.dstSk}`],
    ["a 5 MB status", "S".repeat(5_000_000)],
  ])("answers %s: INVALID_RESPONSE, and no property bag holds it", async (_label, status) => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status: 200, body: JSON.stringify({ status }) } });
    const returnedBefore = plugin.returned.length;
    const error = await upFails({ syncTaskId: task.id, state: "paused" });
    expect(error.details.length).toBeLessThan(400);
    expect(error.details).toMatch(/failed: (the task in the response has a malformed status|the response is larger)/);
    expect(plugin.returned.slice(returnedBefore).join("\n")).not.toContain("SSSSSSSSSS");
  });

  it("streams an endless body: the up fails within seconds", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "endless" }, times: 10 });
    const started = Date.now();
    const error = await upFails({ syncTaskId: task.id, state: "started", timeoutSeconds: 3 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.details).toContain("larger than 1 MiB");
  });

  it("answers a refresh with a proxy's 404 page: an error naming the endpoint, not an empty id", async () => {
    const task = seedPaused(emulator);
    const { inputs } = await plugin.check({}, { syncTaskId: task.id, state: "paused" });
    const created = await plugin.create(withoutProvider(inputs));
    for (const fault of [
      { kind: "html", status: 404 } as const,
      { kind: "status", status: 404, body: "" } as const,
      { kind: "status", status: 404, body: '{"message":"Not Found"}' } as const,
    ]) {
      emulator.inject({ fault });
      const error = (await plugin.read(task.id, withoutProvider(created.properties)).then(
        () => undefined,
        (e: unknown) => e,
      )) as PluginError;
      expect(error.details).toContain(`${emulator.url} answered 404 without an OMS error code`);
    }
  });

  it("leaves no key, token or signature in any property bag, error, stdout or stderr", () => {
    for (const s of signatures()) sent.add(s);
    expect(sent.size).toBeGreaterThan(5);
    const places = { returned: plugin.returned.join("\n"), stdout: plugin.stdout, stderr: plugin.stderr };
    const hits = Object.entries(places).flatMap(([place, text]) =>
      [...ALL_SECRETS, ...sent]
        .filter((s) => text.toLowerCase().includes(s.toLowerCase()))
        .map((s) => `${s.slice(0, 6)}… in ${place}`),
    );
    expect(hits).toEqual([]);
  });
});
