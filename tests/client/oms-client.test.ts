import { OmsClient, OmsError } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { API_TOKEN, CDN_KEY, SECURITY_TOKEN, TASK_KEYS } from "../support/secrets";
import { clientFor, PROJECT_ID, seedPaused, startEmulator, TEMPORARY_AUTH } from "../support/fixture";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

describe("OmsClient.showTask", () => {
  it("sends one signed GET with query_time and returns the task in camelCase", async () => {
    const seeded = seedPaused(emulator, { lastStartTime: 1_700_000_000_000, description: "nightly" });
    const before = Date.now();
    const task = await clientFor(emulator).showTask(seeded.id);

    expect(task).toMatchObject({
      syncTaskId: seeded.id,
      status: "STOPPED",
      lastStartTime: 1_700_000_000_000,
      description: "nightly",
      srcBucket: "source-bucket",
      monthlySize: 0,
    });
    const [request, ...rest] = emulator.requests;
    expect(rest).toHaveLength(0);
    expect(request.outcome).toBe(200);
    expect(request.method).toBe("GET");
    const queryTime = Number(new URL(request.url, "http://x").searchParams.get("query_time"));
    expect(queryTime).toBeGreaterThanOrEqual(before);
    expect(queryTime).toBeLessThanOrEqual(Date.now());
    expect(request.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AKLEAKCANARY00000API, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers["x-project-id"]).toBe(PROJECT_ID);
    expect(request.headers["x-sdk-date"]).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it("ignores enable_kms, which OMS removed in 2026-05: the task has no such field", async () => {
    const seeded = seedPaused(emulator);
    const body = JSON.stringify({ sync_task_id: seeded.id, status: "STOPPED", enable_kms: true, src_bucket: "a" });
    emulator.inject({ operation: "show", fault: { kind: "status", status: 200, body } });
    const task = await clientFor(emulator).showTask(seeded.id);
    expect(task).toEqual({ syncTaskId: seeded.id, status: "STOPPED", srcBucket: "a" });
  });

  it("percent-encodes a task id with reserved and non-ASCII characters, and the signature still verifies", async () => {
    const seeded = seedPaused(emulator, { id: "task:b?c#d%é" });
    const task = await clientFor(emulator).showTask(seeded.id);
    expect(task.syncTaskId).toBe("task:b?c#d%é");
    expect(emulator.requests[0].url).toMatch(/^\/v2\/proj0+1\/sync-tasks\/task%3Ab%3Fc%23d%25%C3%A9\?query_time=\d+$/);
  });

  it("authenticates with X-Auth-Token and sends no signature when given a token", async () => {
    const seeded = seedPaused(emulator);
    const client = clientFor(emulator, { auth: { type: "token", token: API_TOKEN } });
    await expect(client.showTask(seeded.id)).resolves.toMatchObject({ status: "STOPPED" });
    expect(emulator.requests[0].headers["x-auth-token"]).toBe(API_TOKEN);
    expect(emulator.requests[0].headers.authorization).toBeUndefined();
  });

  it("sends and signs X-Security-Token with temporary credentials", async () => {
    const seeded = seedPaused(emulator);
    const client = clientFor(emulator, {
      auth: TEMPORARY_AUTH,
    });
    await expect(client.showTask(seeded.id)).resolves.toMatchObject({ status: "STOPPED" });
    expect(emulator.requests[0].headers["x-security-token"]).toBe(SECURITY_TOKEN);
    expect(emulator.requests[0].headers.authorization).toContain(
      "SignedHeaders=host;x-project-id;x-sdk-date;x-security-token",
    );
  });

  it("works under a base path in the endpoint", async () => {
    const seeded = seedPaused(emulator);
    const client = clientFor(emulator, { endpoint: `${emulator.url}/gateway/oms/` });
    await expect(client.showTask(seeded.id)).resolves.toMatchObject({ syncTaskId: seeded.id });
    expect(emulator.requests[0].url.startsWith(`/gateway/oms/v2/${PROJECT_ID}/sync-tasks/`)).toBe(true);
  });
});

describe("OmsClient.startTask", () => {
  it("posts the four keys as JSON in one request and the task starts", async () => {
    const seeded = seedPaused(emulator);
    await expect(clientFor(emulator).startTask(seeded.id, TASK_KEYS)).resolves.toBe("requested");

    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request.url).toBe(`/v2/${PROJECT_ID}/sync-tasks/${seeded.id}/start`);
    expect(JSON.parse(request.body)).toEqual({
      src_ak: TASK_KEYS.srcAk,
      src_sk: TASK_KEYS.srcSk,
      dst_ak: TASK_KEYS.dstAk,
      dst_sk: TASK_KEYS.dstSk,
    });
    expect(request.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(request.headers.authorization).toContain("SignedHeaders=content-type;host;x-project-id;x-sdk-date");
    expect(emulator.task(PROJECT_ID, seeded.id)).toMatchObject({ status: "SYNCHRONIZING", effectiveStarts: 1 });
  });

  it("includes the CDN authentication key only when one is given", async () => {
    const seeded = seedPaused(emulator, { keys: { ...TASK_KEYS, cdnKey: CDN_KEY } });
    await clientFor(emulator).startTask(seeded.id, { ...TASK_KEYS, sourceCdnAuthenticationKey: CDN_KEY });
    expect(JSON.parse(emulator.requests[0].body).source_cdn_authentication_key).toBe(CDN_KEY);
    expect(emulator.task(PROJECT_ID, seeded.id)?.status).toBe("SYNCHRONIZING");
  });

  it("reports 'already' when OMS answers OMS.0065 for a running task, with one request and no new start", async () => {
    const seeded = seedPaused(emulator, { status: "SYNCHRONIZING" });
    await expect(clientFor(emulator).startTask(seeded.id, TASK_KEYS)).resolves.toBe("already");
    expect(emulator.requests.map((r) => r.outcome)).toEqual([400]);
    expect(emulator.task(PROJECT_ID, seeded.id)?.effectiveStarts).toBe(0);
  });

  it.each([
    ["srcAk", ""],
    ["dstSk", "x".repeat(101)],
  ])("refuses a %s of the wrong length before sending anything", async (field, value) => {
    const seeded = seedPaused(emulator);
    const error = await clientFor(emulator)
      .startTask(seeded.id, { ...TASK_KEYS, [field]: value })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmsError);
    expect(error).toMatchObject({ code: "CONFIG_ERROR", operation: "start" });
    expect((error as Error).message).toContain(`${field} must be 1–100 characters`);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("OmsClient.stopTask", () => {
  it("posts no body and no content type, and the task stops", async () => {
    const seeded = seedPaused(emulator, { status: "SYNCHRONIZING" });
    await expect(clientFor(emulator).stopTask(seeded.id)).resolves.toBe("requested");
    const [request, ...rest] = emulator.requests;
    expect(rest).toHaveLength(0);
    expect(request.url).toBe(`/v2/${PROJECT_ID}/sync-tasks/${seeded.id}/stop`);
    expect(request.body).toBe("");
    expect(request.headers["content-type"]).toBeUndefined();
    expect(emulator.task(PROJECT_ID, seeded.id)?.status).toBe("STOPPED");
  });

  it("reports 'already' when OMS answers OMS.0066 for a stopped task", async () => {
    const seeded = seedPaused(emulator);
    await expect(clientFor(emulator).stopTask(seeded.id)).resolves.toBe("already");
    expect(emulator.requests.map((r) => r.outcome)).toEqual([400]);
  });
});

describe("OmsClient.listTasks", () => {
  it("follows pages of 100 until every task is read", async () => {
    for (let i = 0; i < 250; i += 1) seedPaused(emulator, { id: `task-${String(i).padStart(3, "0")}` });
    const tasks = await clientFor(emulator).listTasks();
    expect(tasks).toHaveLength(250);
    expect(new Set(tasks.map((t) => t.syncTaskId)).size).toBe(250);
    expect(emulator.requests.map((r) => new URL(r.url, "http://x").search)).toEqual([
      "?limit=100&offset=0",
      "?limit=100&offset=100",
      "?limit=100&offset=200",
    ]);
  });

  it("passes the status filter and reads a single short page once", async () => {
    seedPaused(emulator);
    seedPaused(emulator, { status: "SYNCHRONIZING" });
    const tasks = await clientFor(emulator).listTasks({ status: "SYNCHRONIZING" });
    expect(tasks.map((t) => t.status)).toEqual(["SYNCHRONIZING"]);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0].url).toContain("status=SYNCHRONIZING");
  });
});

describe("OmsClient endpoint rules", () => {
  it.each([
    ["http://oms.example.com", "http:// to a host that is not loopback"],
    ["http://10.0.0.5:8080", "http:// to a host that is not loopback"],
    ["ftp://127.0.0.1", "use an https:// URL"],
    ["not a url", "is not an absolute URL"],
    ["https://user:pw@oms.example.com", "user name or password"],
  ])("refuses %s with a CONFIG_ERROR", (endpoint, problem) => {
    const create = () => new OmsClient({ projectId: PROJECT_ID, endpoint, auth: { type: "token", token: API_TOKEN } });
    expect(create).toThrow(OmsError);
    expect(create).toThrow(problem);
  });

  it.each(["http://localhost:1", "http://127.8.9.10:1", "http://[::1]:1"])(
    "allows plain http to loopback %s",
    (endpoint) => {
      expect(
        () => new OmsClient({ projectId: PROJECT_ID, endpoint, auth: { type: "token", token: API_TOKEN } }),
      ).not.toThrow();
    },
  );

  it("defaults to the regional https endpoint", () => {
    const client = new OmsClient({
      projectId: PROJECT_ID,
      region: "cn-east-3",
      auth: { type: "token", token: API_TOKEN },
    });
    expect(client.baseUrl).toBe("https://oms.cn-east-3.myhuaweicloud.com");
  });
});
