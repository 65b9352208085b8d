// The policy pack in policy-pack/ as `pulumi preview --policy-pack` runs it: Pulumi's own policy runner
// (`@pulumi/pulumi/cmd/run-policy-pack`) loads the pack with this package installed from its tarball, and the test
// drives it over gRPC: GetAnalyzerInfo, Configure, Analyze for each resource, AnalyzeStack for the stack.
import * as path from "path";
import { packedProgram, REPO } from "../support/packed-program";
import { PolicyHost, preparePack, type AnalyzedResource, type Level } from "../support/policy-host";
import { ALL_SECRETS } from "../support/secrets";

const TASK = "pulumi-nodejs:dynamic/oms:SyncTask";
const STATE = "pulumi-nodejs:dynamic/oms:SyncTaskState";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const KMS = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
const DEFAULTS: Record<string, { level?: Level; properties?: Record<string, unknown> }> = {};

/** A SyncTask's inputs; a field given as `undefined` is left out, as a program that omits it. */
const task = (name: string, props: Record<string, unknown> = {}, protect = true): AnalyzedResource => ({
  type: TASK,
  name,
  protect,
  props: withoutUndefined({
    srcCloudType: "HuaweiCloud",
    srcRegion: "cn-east-3",
    srcBucket: `${name}-src`,
    dstRegion: "cn-north-4",
    dstBucket: `${name}-dst`,
    consistencyCheck: "crc64",
    state: "started",
    ...props,
  }),
});
const withoutUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const state = (name: string, syncTaskId: string): AnalyzedResource => ({
  type: STATE,
  name,
  props: { syncTaskId, state: "started" },
});

let host: PolicyHost;

beforeAll(async () => {
  const programDir = packedProgram().dir;
  host = await PolicyHost.start(programDir, preparePack(programDir, path.join(REPO, "policy-pack")));
}, 120_000);

afterAll(() => host?.stop());

beforeEach(() => host.configure(DEFAULTS));

const names = (vs: { policy: string }[]) => vs.map((v) => v.policy).sort();

describe("the oms-sync pack through Pulumi's policy runner", () => {
  it("describes itself: every policy with its description, default level and config schema", async () => {
    const info = await host.info();
    expect(info.name).toBe("oms-sync");
    const byName = Object.fromEntries(info.policies.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual([
      "oms-consistency-check",
      "oms-events-need-a-running-task",
      "oms-explicit-source-cloud",
      "oms-one-manager-per-task",
      "oms-one-task-per-bucket-pair",
      "oms-protect-tasks",
      "oms-require-kms",
      "oms-storage-policy",
      "oms-task-quota",
    ]);
    expect(byName["oms-one-manager-per-task"].level).toBe("mandatory");
    expect(byName["oms-one-task-per-bucket-pair"].level).toBe("mandatory");
    expect(byName["oms-task-quota"].level).toBe("mandatory");
    expect(byName["oms-explicit-source-cloud"].level).toBe("advisory");
    expect(byName["oms-require-kms"].level).toBe("disabled");
    expect(byName["oms-consistency-check"].level).toBe("advisory");
    expect(byName["oms-storage-policy"].level).toBe("advisory");
    expect(byName["oms-task-quota"].configSchema).toMatchObject({ limit: { type: "integer", default: 5 } });
    expect(byName["oms-require-kms"].configSchema).toMatchObject({ sides: { default: ["src", "dst"] } });
    expect(byName["oms-consistency-check"].configSchema).toMatchObject({ allowed: { default: ["crc64"] } });
    for (const p of info.policies) expect(p.description.length).toBeGreaterThan(20);
  });

  it("passes a stack that follows every policy", async () => {
    const stack = [task("logs", { srcKmsKeyId: KMS, dstKmsKeyId: KMS }), state("mirror", "t-1")];
    for (const r of stack) expect(await host.analyze(r)).toEqual([]);
    expect(await host.analyzeStack(stack)).toEqual([]);
  });

  it("oms-one-manager-per-task: a SyncTaskState and a SyncTask adopting the same task, named with the fix", async () => {
    const stack = [task("adopted", { syncTaskId: "t-1" }), state("mirror", "t-1"), state("other", "t-2")];
    const [violation, ...rest] = await host.analyzeStack(stack);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ policy: "oms-one-manager-per-task", level: "mandatory", pack: "oms-sync" });
    expect(violation.message).toContain('SyncTask "adopted" and SyncTaskState "mirror" both manage sync task t-1');
    expect(violation.message).toContain("Keep one");
  });

  it("oms-events-need-a-running-task: a SyncEvent on a task a SyncTaskState keeps paused, reported on the event", async () => {
    const paused: AnalyzedResource = { type: STATE, name: "mirror", props: { syncTaskId: "t-1", state: "paused" } };
    const event: AnalyzedResource = {
      type: "pulumi-nodejs:dynamic/oms:SyncEvent",
      name: "now",
      props: { syncTaskId: "t-1", objectKeys: ["a"] },
    };
    const [violation, ...rest] = await host.analyzeStack([paused, event]);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ policy: "oms-events-need-a-running-task", level: "mandatory" });
    expect(violation.message).toContain('SyncEvent "now" asks OMS to synchronize objects of sync task t-1');
    expect(await host.analyzeStack([state("mirror", "t-1"), event])).toEqual([]);
  });

  it("oms-one-task-per-bucket-pair: two SyncTasks copying the same pair (Aliyun by default on both)", async () => {
    const pair = { srcCloudType: undefined, srcBucket: "a", dstBucket: "b" };
    const violations = await host.analyzeStack([task("one", pair), task("two", pair), task("three")]);
    expect(names(violations)).toEqual(["oms-one-task-per-bucket-pair"]);
    expect(violations[0].message).toContain(
      'SyncTask "one" and SyncTask "two" both copy Aliyun bucket a (cn-east-3) to b',
    );
  });

  it("oms-task-quota: six creating SyncTasks break the default limit of 5; adopting ones are not counted", async () => {
    const six = ["a", "b", "c", "d", "e", "f"].map((n) => task(n));
    const [violation] = await host.analyzeStack(six);
    expect(violation).toMatchObject({ policy: "oms-task-quota", level: "mandatory" });
    expect(violation.message).toMatch(
      /6 SyncTasks create a sync task \(SyncTask "a", .* and SyncTask "f"\), more than the 5 allowed/,
    );
    expect(await host.analyzeStack([...six.slice(0, 5), task("adopt", { syncTaskId: "t-9" })])).toEqual([]);
  });

  it("oms-task-quota: the configured limit reaches the policy", async () => {
    await host.configure({ "oms-task-quota": { level: "mandatory", properties: { limit: 2 } } });
    const violations = await host.analyzeStack([task("a"), task("b"), task("c")]);
    expect(violations.map((v) => v.message)).toEqual([expect.stringContaining("3 SyncTasks create a sync task")]);
    expect(violations[0].message).toContain("more than the 2 allowed");
  });

  it("oms-explicit-source-cloud: advisory, naming the resource, the field and the fix", async () => {
    const violations = await host.analyze(task("logs", { srcCloudType: undefined }));
    expect(violations).toEqual([
      expect.objectContaining({
        policy: "oms-explicit-source-cloud",
        level: "advisory",
        message: expect.stringContaining('SyncTask "logs" leaves srcCloudType out'),
      }),
    ]);
  });

  it("oms-require-kms: off by default; enabled, it asks for the configured sides only", async () => {
    expect(await host.analyze(task("plain"))).toEqual([]);
    await host.configure({ "oms-require-kms": { level: "mandatory", properties: { sides: ["dst"] } } });
    const violations = await host.analyze(task("plain"));
    expect(violations).toEqual([
      expect.objectContaining({
        policy: "oms-require-kms",
        level: "mandatory",
        message: expect.stringContaining("has no dstKmsKeyId"),
      }),
    ]);
    expect(await host.analyze(task("kms", { dstKmsKeyId: KMS }))).toEqual([]);
  });

  it("oms-consistency-check: OMS's default size_last_modified is outside the default allowed list", async () => {
    const violations = await host.analyze(task("weak", { consistencyCheck: undefined }));
    expect(violations).toEqual([
      expect.objectContaining({
        policy: "oms-consistency-check",
        message: expect.stringContaining(
          "uses consistencyCheck size_last_modified (OMS's default); set consistencyCheck to crc64",
        ),
      }),
    ]);
    await host.configure({ "oms-consistency-check": { properties: { allowed: ["crc64", "size_last_modified"] } } });
    expect(await host.analyze(task("weak", { consistencyCheck: undefined }))).toEqual([]);
  });

  it("oms-storage-policy: silent until configured, then the configured classes only", async () => {
    expect(await host.analyze(task("cold", { dstStoragePolicy: "ARCHIVE" }))).toEqual([]);
    await host.configure({ "oms-storage-policy": { level: "mandatory", properties: { allowed: ["STANDARD", "IA"] } } });
    expect(await host.analyze(task("cold", { dstStoragePolicy: "ARCHIVE" }))).toEqual([
      expect.objectContaining({
        policy: "oms-storage-policy",
        level: "mandatory",
        message: expect.stringContaining("set dstStoragePolicy to one of STANDARD, IA"),
      }),
    ]);
    expect(await host.analyze(task("warm", { dstStoragePolicy: "IA" }))).toEqual([]);
  });

  it("oms-protect-tasks: a SyncTask without protect, advisory; a disabled level silences it", async () => {
    expect(names(await host.analyze(task("bare", {}, false)))).toEqual(["oms-protect-tasks"]);
    await host.configure({ "oms-protect-tasks": { level: "disabled" } });
    expect(await host.analyze(task("bare", {}, false))).toEqual([]);
  });

  it("never reports a value a preview does not know yet, nor says a policy could not run", async () => {
    const pending = {
      srcCloudType: UNKNOWN,
      srcBucket: UNKNOWN,
      consistencyCheck: UNKNOWN,
      dstStoragePolicy: UNKNOWN,
      syncTaskId: UNKNOWN,
    };
    await host.configure({
      "oms-require-kms": { level: "mandatory", properties: { sides: ["src"] } },
      "oms-storage-policy": { properties: { allowed: ["STANDARD"] } },
    });
    const unknown = task("pending", { ...pending, srcKmsKeyId: UNKNOWN });
    expect(await host.analyze(unknown)).toEqual([]);
    const stack = [
      unknown,
      task("twin", { ...pending, srcKmsKeyId: UNKNOWN }),
      state("s", UNKNOWN),
      state("t", UNKNOWN),
    ];
    expect(await host.analyzeStack(stack)).toEqual([]);
    expect(host.stderr).not.toMatch(/can't run|Error/);
    expect(ALL_SECRETS.filter((s) => host.stdout.includes(s) || host.stderr.includes(s))).toEqual([]);
  });
});
