import { hintFor } from "../../provider/errors/oms-error";
import { OmsClient, OmsError } from "../../provider";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { API_KEY, API_TOKEN, TASK_KEYS, everythingIn, leaksIn, signaturesIn, SECURITY_TOKEN } from "../support/secrets";
import { clientFor, PROJECT_ID, seedPaused, startEmulator, TEMPORARY_AUTH } from "../support/fixture";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

async function failure(promise: Promise<unknown>): Promise<OmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OmsError);
  return error as OmsError;
}

/** Asserts that nothing the client or emulator knows as secret, nor any signature sent, shows in the error. */
function expectNoSecrets(error: unknown): void {
  const signatures = signaturesIn(emulator.requests.map((r) => r.headers));
  expect(leaksIn(everythingIn(error), signatures)).toEqual([]);
  expect(everythingIn(error)).not.toMatch(/authorization|x-auth-token|src_sk|dst_sk/i);
}

describe("OmsError: one error for every kind of failure, with what a user needs and no secret", () => {
  it("speaks of OMS and HTTP only: no hint of the client names a Pulumi config key", () => {
    for (const code of [
      "OMS.1014",
      "OMS.1020",
      "OMS.1032",
      "OMS.0068",
      "OMS.1005",
      "APIG.0303",
      "OMS.1009",
      "OMS.0054",
      "OMS.1004",
    ]) {
      expect(hintFor(code, 400)).not.toMatch(/oms:|syncTaskId|projectId|credentials\./);
    }
    expect(hintFor(undefined, 404, "http://x")).not.toContain("oms:");
  });

  it("OMS_API_ERROR for wrong source keys: code, status, OMS code, request id and the source-key hint", async () => {
    const task = seedPaused(emulator);
    const error = await failure(
      clientFor(emulator).startTask(task.id, { ...TASK_KEYS, srcSk: "srcsk-LEAKCANARY-wrong" }),
    );
    expect(error).toMatchObject({
      code: "OMS_API_ERROR",
      operation: "start",
      taskId: task.id,
      status: 400,
      errorCode: "OMS.1014",
    });
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(error.message).toBe(
      `OMS start of sync task ${task.id} failed: HTTP 400 OMS.1014 Failed to read the source bucket. Check the source AK/SK and permissions. (request id ${error.requestId}). Check the source access key pair and that it may list and read the source bucket`,
    );
    expectNoSecrets(error);
    expect(everythingIn(error)).not.toContain("srcsk-LEAKCANARY-wrong");
  });

  it("OMS_API_ERROR for wrong destination keys names the destination keys", async () => {
    const task = seedPaused(emulator);
    const error = await failure(clientFor(emulator).startTask(task.id, { ...TASK_KEYS, dstAk: "dstak-other" }));
    expect(error.errorCode).toBe("OMS.1020");
    expect(error.hint).toBe("Check the destination access key pair and that it may write to the destination bucket");
    expectNoSecrets(error);
  });

  it("OMS_API_ERROR for a bad signature names the API keys and the clock", async () => {
    const task = seedPaused(emulator);
    const client = clientFor(emulator, {
      auth: { type: "aksk", accessKey: API_KEY.accessKey, secretKey: "sk-LEAKCANARY-wrong" },
    });
    const error = await failure(client.showTask(task.id));
    expect(error).toMatchObject({ status: 401, errorCode: "APIG.0303" });
    expect(error.hint).toContain("clock");
    expect(emulator.requests).toHaveLength(1);
    expectNoSecrets(error);
    expect(everythingIn(error)).not.toContain("sk-LEAKCANARY-wrong");
  });

  it("OMS_API_ERROR for a clock more than 15 minutes off", async () => {
    await emulator.stop();
    emulator = await startEmulator({ now: () => Date.now() + 16 * 60 * 1000 });
    const task = seedPaused(emulator);
    const error = await failure(clientFor(emulator).showTask(task.id));
    expect(error).toMatchObject({ status: 401, errorCode: "APIG.0303" });
    expect(error.message).toContain("more than 15 minutes off");
    expectNoSecrets(error);
  });

  it("OMS_API_ERROR for a rejected token", async () => {
    const task = seedPaused(emulator);
    const error = await failure(
      clientFor(emulator, { auth: { type: "token", token: "token-LEAKCANARY-expired" } }).showTask(task.id),
    );
    expect(error).toMatchObject({ status: 401, errorCode: "APIG.0307" });
    expect(error.hint).toBe("Check the API token: it is invalid or expired");
    expect(everythingIn(error)).not.toContain("token-LEAKCANARY-expired");
    expectNoSecrets(error);
  });

  it("OMS_API_ERROR for an unknown task, answered 404 or 400 OMS.1009", async () => {
    const first = await failure(clientFor(emulator).showTask("no-such-task"));
    expect(first).toMatchObject({ status: 404, errorCode: "OMS.1009" });
    emulator.configure({ missingTask: 400 });
    const second = await failure(clientFor(emulator).showTask("no-such-task"));
    expect(second).toMatchObject({ status: 400, errorCode: "OMS.1009" });
    expect(second.hint).toContain("Check the task id, project and region");
    expectNoSecrets(first);
    expectNoSecrets(second);
  });

  it("OMS_API_ERROR for a completed task (OMS.0070) says it cannot be started", async () => {
    const task = seedPaused(emulator, { completed: true });
    const error = await failure(clientFor(emulator).startTask(task.id, TASK_KEYS));
    expect(error.errorCode).toBe("OMS.0070");
    expect(error.message).toContain("OMS cannot start or stop it");
    expectNoSecrets(error);
  });

  it("OMS_API_ERROR for a gateway's HTML page is one short readable line", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "html", status: 403 } });
    const error = await failure(clientFor(emulator).showTask(task.id));
    expect(error.message).toBe(
      `OMS show of sync task ${task.id} failed: HTTP 403 with a non-JSON body: "403 Gateway Error". The API credentials lack permission for OMS in this project`,
    );
    expectNoSecrets(error);
  });

  it("redacts a secret that the server echoes back in its error message", async () => {
    const task = seedPaused(emulator);
    const echo = JSON.stringify({
      error_code: "OMS.0064",
      error_msg: `bad value ${TASK_KEYS.srcSk} and ${API_KEY.secretKey}`,
    });
    emulator.inject({ operation: "start", fault: { kind: "status", status: 400, body: echo } });
    const error = await failure(clientFor(emulator).startTask(task.id, TASK_KEYS));
    expect(error.errorMsg).toBe("bad value *** and ***");
    expectNoSecrets(error);
  });

  it("redacts a secret echoed in a non-JSON body", async () => {
    const task = seedPaused(emulator);
    emulator.inject({
      fault: { kind: "status", status: 400, contentType: "text/plain", body: `denied for ${SECURITY_TOKEN}` },
    });
    const client = clientFor(emulator, {
      auth: TEMPORARY_AUTH,
    });
    const error = await failure(client.showTask(task.id));
    expect(error.message).toContain('non-JSON body: "denied for ***"');
    expectNoSecrets(error);
  });

  it("TIMEOUT when every attempt hangs", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "hang" }, times: 5 });
    const error = await failure(
      clientFor(emulator, { requestTimeoutMs: 100, retry: { retries: 1, baseDelayMs: 1 } }).startTask(
        task.id,
        TASK_KEYS,
      ),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", operation: "start" });
    expect(error.message).toContain("no response within 0.1 s");
    expect(emulator.requests).toHaveLength(2);
    expectNoSecrets(error);
  });

  it("NETWORK_ERROR when the connection is reset on every attempt", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "reset" }, times: 5 });
    const error = await failure(
      clientFor(emulator, { retry: { retries: 2, baseDelayMs: 1 } }).startTask(task.id, TASK_KEYS),
    );
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.message).toMatch(/could not reach 127\.0\.0\.1:\d+ \(ECONNRESET\)/);
    expect(emulator.requests).toHaveLength(3);
    expectNoSecrets(error);
  });

  it("NETWORK_ERROR when nothing listens", async () => {
    const port = emulator.port;
    await emulator.stop();
    const client = new OmsClient({
      projectId: PROJECT_ID,
      endpoint: `http://127.0.0.1:${port}`,
      auth: { type: "token", token: API_TOKEN },
      retry: { retries: 1, baseDelayMs: 1 },
    });
    const error = await failure(client.startTask("t", TASK_KEYS));
    expect(error.message).toContain("(ECONNREFUSED)");
    expectNoSecrets(error);
    emulator = await startEmulator();
  });

  it("INVALID_RESPONSE for malformed JSON or a task without status in a 200", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ fault: { kind: "status", status: 200, body: "{not json" } });
    const malformed = await failure(clientFor(emulator).showTask(task.id));
    expect(malformed).toMatchObject({ code: "INVALID_RESPONSE", operation: "show" });
    expect(malformed.message).toContain("the response body is not JSON");
    emulator.inject({ fault: { kind: "status", status: 200, body: JSON.stringify({ sync_task_id: task.id }) } });
    const noStatus = await failure(clientFor(emulator).showTask(task.id));
    expect(noStatus.message).toContain("has no status");
    expect(emulator.requests).toHaveLength(2);
    expectNoSecrets(malformed);
    expectNoSecrets(noStatus);
  });

  it("CONFIG_ERROR for an unusable client never echoes the credentials", () => {
    let error: unknown;
    try {
      new OmsClient({ projectId: "", endpoint: "http://example.com", auth: { type: "aksk", ...API_KEY } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "CONFIG_ERROR", operation: "configure" });
    expectNoSecrets(error);
  });
});
