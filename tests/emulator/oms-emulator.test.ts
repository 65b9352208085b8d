// The emulator's own behaviour, exercised over raw HTTP (fetch) so that the client is not part of the proof.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { API_KEY, API_TOKEN, TASK_KEYS } from "../support/secrets";
import { PROJECT_ID, seedPaused, startEmulator } from "../support/fixture";

let emulator: OmsEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

const base = () => `${emulator.url}/v2/${PROJECT_ID}/sync-tasks`;

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(base() + path, {
    method,
    headers: { "X-Auth-Token": API_TOKEN, "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const START_BODY = {
  src_ak: TASK_KEYS.srcAk,
  src_sk: TASK_KEYS.srcSk,
  dst_ak: TASK_KEYS.dstAk,
  dst_sk: TASK_KEYS.dstSk,
};

describe("OMS emulator: tasks", () => {
  it("requires query_time on show (400 OMS.0064)", async () => {
    const task = seedPaused(emulator);
    expect(await call("GET", `/${task.id}`)).toMatchObject({ status: 400, json: { error_code: "OMS.0064" } });
    expect(await call("GET", `/${task.id}?query_time=1`)).toMatchObject({ status: 200, json: { status: "STOPPED" } });
  });

  it("creates tasks that start at once, at most 5 per account, and lists them", async () => {
    const create = {
      src_bucket: "a",
      dst_bucket: "b",
      src_ak: "x",
      src_sk: "y",
      dst_ak: "z",
      dst_sk: "w",
      src_region: "cn-north-4",
      dst_region: "cn-north-4",
    };
    for (let i = 0; i < 5; i += 1) expect((await call("POST", "", create)).status).toBe(200);
    expect(await call("POST", "", create)).toMatchObject({ status: 400, json: { error_code: "OMS.0064" } });
    const list = await call("GET", "?limit=2&offset=0");
    expect(list.json.count).toBe(5);
    expect((list.json.tasks as unknown[]).length).toBe(2);
    expect((list.json.tasks as Record<string, unknown>[])[0]).not.toHaveProperty("monthly_size");
    expect((await call("GET", "?limit=101")).json.error_code).toBe("OMS.0064");
  });

  it("counts the quota over every project of the account: 4 elsewhere leave room for 1 here", async () => {
    for (let i = 0; i < 4; i += 1) emulator.seedTask({ projectId: "another-project" });
    const create = { src_bucket: "a", dst_bucket: "b", src_region: "r", dst_region: "r", ...START_BODY };
    expect((await call("POST", "", create)).status).toBe(200);
    expect(await call("POST", "", create)).toMatchObject({
      status: 400,
      json: { error_code: "OMS.0064", error_msg: expect.stringContaining("reached the upper limit (5)") },
    });
    expect((await call("GET", "?limit=10")).json.count).toBe(1);
  });

  it("refuses a bucket name over 63 characters with a message about its length", async () => {
    const create = { src_bucket: "a", dst_bucket: "b".repeat(64), src_region: "r", dst_region: "r", ...START_BODY };
    expect(await call("POST", "", create)).toMatchObject({
      status: 400,
      json: {
        error_code: "OMS.0064",
        error_msg: expect.stringContaining("dst_bucket exceeds the maximum length of 63"),
      },
    });
  });

  describe("a task's encryption", () => {
    const KMS = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
    const OTHER = "7c5e3f10-2b4a-4e8d-9f61-3a2b1c0d9e87";
    const create = (extra: Record<string, unknown>) =>
      call("POST", "", { src_bucket: "a", dst_bucket: "b", src_region: "r", dst_region: "r", ...START_BODY, ...extra });

    async function stoppedKmsTask(): Promise<string> {
      const created = await create({ src_crypto_type: "KMS", src_kms_key_id: KMS });
      const id = created.json.sync_task_id as string;
      await call("POST", `/${id}/stop`);
      return id;
    }

    it("is fixed at create, never shown, and a start that repeats it is accepted", async () => {
      const id = await stoppedKmsTask();
      expect(emulator.task(PROJECT_ID, id)?.crypto).toEqual({
        src: { type: "KMS", kmsKeyId: KMS },
        dst: { type: "DEFAULT" },
        cdn: { type: "DEFAULT" },
      });
      expect(JSON.stringify((await call("GET", `/${id}?query_time=1`)).json)).not.toContain(KMS);
      expect(
        (await call("POST", `/${id}/start`, { ...START_BODY, src_crypto_type: "KMS", src_kms_key_id: KMS })).status,
      ).toBe(200);
    });

    it.each([
      ["leaves it out", {}, "src_crypto_type"],
      ["names another key", { src_crypto_type: "KMS", src_kms_key_id: OTHER }, "src_kms_key_id"],
      [
        "asks KMS for the destination too",
        { src_crypto_type: "KMS", src_kms_key_id: KMS, dst_crypto_type: "KMS", dst_kms_key_id: KMS },
        "dst_crypto_type",
      ],
      ["names a malformed crypto type", { src_crypto_type: "BOGUS" }, "src_crypto_type"],
      [
        "gives KMS without a 36-character key id",
        { src_crypto_type: "KMS", src_kms_key_id: "short" },
        "src_kms_key_id",
      ],
    ])(
      "refuses a start that %s with OMS.0064 naming the field; the task stays stopped",
      async (_what, crypto, field) => {
        const id = await stoppedKmsTask();
        expect(await call("POST", `/${id}/start`, { ...START_BODY, ...crypto })).toMatchObject({
          status: 400,
          json: { error_code: "OMS.0064", error_msg: expect.stringContaining(field) },
        });
        expect(emulator.task(PROJECT_ID, id)?.status).toBe("STOPPED");
      },
    );

    it("refuses a create whose KMS fields are malformed or contradict each other", async () => {
      for (const bad of [
        { src_crypto_type: "KMS" },
        { dst_crypto_type: "DEFAULT", dst_kms_key_id: KMS },
        { source_cdn: { domain: "d", protocol: "https", authentication_type: "NONE", crypto_type: "KMS" } },
      ]) {
        expect((await create(bad)).json.error_code).toBe("OMS.0064");
      }
      expect(emulator.allTasks()).toHaveLength(0);
    });
  });

  it("refuses to delete a synchronizing task (OMS.0063) and deletes a stopped one", async () => {
    const running = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const stopped = seedPaused(emulator);
    expect((await call("DELETE", `/${running.id}`)).json.error_code).toBe("OMS.0063");
    expect((await call("DELETE", `/${stopped.id}`)).status).toBe(200);
    expect(emulator.task(PROJECT_ID, stopped.id)).toBeUndefined();
  });

  it("applies start and stop only after the configured delay, and refuses a repeat meanwhile", async () => {
    emulator.configure({ transitionDelayMs: 150 });
    const task = seedPaused(emulator);
    expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(200);
    expect((await call("GET", `/${task.id}?query_time=1`)).json.status).toBe("STOPPED");
    expect((await call("POST", `/${task.id}/start`, START_BODY)).json.error_code).toBe("OMS.0065");
    await new Promise((r) => setTimeout(r, 200));
    const shown = await call("GET", `/${task.id}?query_time=1`);
    expect(shown.json.status).toBe("SYNCHRONIZING");
    expect(typeof shown.json.last_start_time).toBe("number");
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(1);
  });

  describe("a start during a pending stop (and a stop during a pending start)", () => {
    const shown = async (id: string) => (await call("GET", `/${id}?query_time=1`)).json.status;
    const settle = () => new Promise((r) => setTimeout(r, 200));

    it("reverses the change under way by default: taken at once, and the task ends as the later call asked", async () => {
      emulator.configure({ transitionDelayMs: 150 });
      const task = seedPaused(emulator, { status: "SYNCHRONIZING" });
      expect((await call("POST", `/${task.id}/stop`)).status).toBe(200);
      expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(200);
      await settle();
      expect(await shown(task.id)).toBe("SYNCHRONIZING");
      expect(emulator.task(PROJECT_ID, task.id)).toMatchObject({ effectiveStops: 1, effectiveStarts: 1 });
    });

    it.each(["the emulator", "one task"] as const)(
      "is refused as already done until the change is done, when %s says refused-until-done",
      async (where) => {
        const forAll = where === "the emulator";
        const opposingCall = "refused-until-done" as const;
        emulator.configure({ transitionDelayMs: 150, ...(forAll ? { opposingCall } : {}) });
        const other = seedPaused(emulator, { status: "SYNCHRONIZING" });
        const task = seedPaused(emulator, { status: "SYNCHRONIZING", ...(forAll ? {} : { opposingCall }) });
        expect((await call("POST", `/${task.id}/stop`)).status).toBe(200);
        expect((await call("POST", `/${task.id}/start`, START_BODY)).json.error_code).toBe("OMS.0065");
        await settle();
        expect(await shown(task.id)).toBe("STOPPED");
        expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(200);
        expect((await call("POST", `/${task.id}/stop`)).json.error_code).toBe("OMS.0066");
        await settle();
        expect(await shown(task.id)).toBe("SYNCHRONIZING");
        expect(emulator.task(PROJECT_ID, task.id)).toMatchObject({ effectiveStops: 1, effectiveStarts: 1 });
        // Another task reverses unless the emulator as a whole refuses.
        expect((await call("POST", `/${other.id}/stop`)).status).toBe(200);
        const start = await call("POST", `/${other.id}/start`, START_BODY);
        expect(start.status).toBe(forAll ? 400 : 200);
      },
    );
  });

  it.each([
    [{ ...START_BODY, src_ak: undefined }, "OMS.1004"],
    [{ ...START_BODY, dst_sk: "" }, "OMS.1004"],
    [{ ...START_BODY, src_sk: "s".repeat(101) }, "OMS.0064"],
    [{ ...START_BODY, source_cdn_authentication_key: "k".repeat(256) }, "OMS.0064"],
    ["{oops", "OMS.0067"],
    [{ ...START_BODY, src_sk: "other" }, "OMS.1014"],
    [{ ...START_BODY, dst_ak: "other" }, "OMS.1020"],
  ])("answers a start body %j with %s", async (body, code) => {
    const task = seedPaused(emulator);
    expect(await call("POST", `/${task.id}/start`, body)).toMatchObject({ status: 400, json: { error_code: code } });
    expect(emulator.task(PROJECT_ID, task.id)?.effectiveStarts).toBe(0);
  });

  it("answers start on a running task with OMS.0065, stop on a stopped one with OMS.0066, and a body on stop with OMS.0064", async () => {
    const running = seedPaused(emulator, { status: "SYNCHRONIZING" });
    const stopped = seedPaused(emulator);
    expect((await call("POST", `/${running.id}/start`, START_BODY)).json.error_code).toBe("OMS.0065");
    expect((await call("POST", `/${stopped.id}/stop`)).json.error_code).toBe("OMS.0066");
    expect((await call("POST", `/${running.id}/stop`, {})).json.error_code).toBe("OMS.0064");
  });

  it("answers an unknown task 404 or 400 OMS.1009, and an over-long id OMS.0054", async () => {
    expect(await call("GET", "/nope?query_time=1")).toMatchObject({ status: 404, json: { error_code: "OMS.1009" } });
    emulator.configure({ missingTask: 400 });
    expect(await call("GET", "/nope?query_time=1")).toMatchObject({ status: 400, json: { error_code: "OMS.1009" } });
    expect((await call("GET", `/${"x".repeat(256)}?query_time=1`)).json.error_code).toBe("OMS.0054");
  });
});

describe("OMS emulator: authentication", () => {
  const sign = (method: string, url: string, headers: Record<string, string> = {}, secretKey = API_KEY.secretKey) =>
    AKSKSigner.sign(
      { method, endpoint: url, headers: { ...headers }, queryParams: {}, data: undefined } as never,
      {
        getAk: () => API_KEY.accessKey,
        getSk: () => secretKey,
      } as never,
    ) as Record<string, string>;

  it("accepts a request signed by the vendor's own signer", async () => {
    const task = seedPaused(emulator);
    const url = `${base()}/${task.id}/stop`;
    const headers = sign("POST", url, { "X-Project-Id": PROJECT_ID });
    const response = await fetch(url, { method: "POST", headers });
    expect(response.status).toBe(400); // authenticated; OMS.0066 because the task is already stopped
    expect(((await response.json()) as { error_code: string }).error_code).toBe("OMS.0066");
  });

  it("rejects a signature made with the wrong secret key, or over a different path, with 401 APIG.0303", async () => {
    const task = seedPaused(emulator);
    const url = `${base()}/${task.id}/stop`;
    const wrongKey = await fetch(url, { method: "POST", headers: sign("POST", url, {}, "not-the-key") });
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { error_code: string }).error_code).toBe("APIG.0303");
    const otherPath = await fetch(`${base()}/other/stop`, { method: "POST", headers: sign("POST", url) });
    expect(otherPath.status).toBe(401);
  });

  it("rejects an X-Sdk-Date more than 15 minutes off its clock, and accepts one 14 minutes off", async () => {
    await emulator.stop();
    emulator = await startEmulator({ now: () => Date.now() + 14 * 60 * 1000 });
    const accepted = await fetch(`${base()}/t`, { headers: sign("GET", `${base()}/t`) });
    expect(accepted.status).toBe(404);
    await emulator.stop();
    emulator = await startEmulator({ now: () => Date.now() + 16 * 60 * 1000 });
    const response = await fetch(`${base()}/t`, { headers: sign("GET", `${base()}/t`) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error_msg: string }).error_msg).toContain("more than 15 minutes off");
  });

  it("rejects a request with neither token nor signature (401), and an unknown token (401 APIG.0307)", async () => {
    expect((await fetch(`${base()}/t?query_time=1`)).status).toBe(401);
    const bad = await fetch(`${base()}/t?query_time=1`, { headers: { "X-Auth-Token": "nope" } });
    expect(((await bad.json()) as { error_code: string }).error_code).toBe("APIG.0307");
  });
});

describe("OMS emulator: fault injection and log", () => {
  it("plays a fault for the next N matching requests only, and logs every request", async () => {
    const task = seedPaused(emulator);
    emulator.inject({ operation: "start", fault: { kind: "status", status: 503 }, times: 2 });
    expect((await call("GET", `/${task.id}?query_time=1`)).status).toBe(200);
    expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(503);
    expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(503);
    expect((await call("POST", `/${task.id}/start`, START_BODY)).status).toBe(200);
    expect(emulator.log().map((r) => [r.operation, r.outcome, r.fault])).toEqual([
      ["show", 200, undefined],
      ["start", 503, "status"],
      ["start", 503, "status"],
      ["start", 200, undefined],
    ]);
    expect(emulator.log("start")).toHaveLength(3);
  });

  it("adds a fixed latency to every answer", async () => {
    emulator.configure({ latencyMs: 100 });
    const started = Date.now();
    await call("GET", "/t?query_time=1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
