// getSyncTasks, getSyncTaskStatistics and SyncEvent under the real Pulumi CLI, in both doors: a YAML program on the
// oms plugin (fn::invoke and a resource) and the Node.js example examples/sync-statistics, against the emulator. Each
// prints the requests the functions sent and the statistics the program got, for the reader of the test output.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { PROJECT_ID, startEmulator } from "../support/fixture";
import { CliStack, pluginRelease, pulumiVersion } from "./support/cli";
import { omsConfig, programDir, SECRET_CONFIG } from "./support/program";

const HOUR = 3_600_000;

const YAML = `name: oms-insight
runtime: yaml
config:
  taskId:
    type: string
  startTime:
    type: string
  endTime:
    type: string
  second:
    type: string
variables:
  listed:
    fn::invoke:
      function: oms:index:getSyncTasks
      arguments:
        status: SYNCHRONIZING
  copied:
    fn::invoke:
      function: oms:index:getSyncTaskStatistics
      arguments:
        syncTaskId: \${taskId}
        dataType: SUCCESS
        startTime: \${startTime}
        endTime: \${endTime}
resources:
  now:
    type: oms:index:SyncEvent
    properties:
      syncTaskId: \${taskId}
      objectKeys:
        - logs/a b.txt
        - \${second}
outputs:
  tasks: \${listed.tasks}
  statistics: \${copied}
  eventStatus: \${now.status}
`;

/** Seeds a synchronizing task that copied 5 and 7 objects two and three hours ago, and 100 two days ago. */
function seedBusyTask(emulator: OmsEmulator, id: string) {
  const task = emulator.seedTask({ id, projectId: PROJECT_ID, status: "SYNCHRONIZING", srcBucket: "logs" });
  const now = Date.now();
  emulator.recordTraffic(PROJECT_ID, task.id, { at: now - 2 * HOUR, dataType: "SUCCESS", value: 5 });
  emulator.recordTraffic(PROJECT_ID, task.id, { at: now - 3 * HOUR, dataType: "SUCCESS", value: 7 });
  emulator.recordTraffic(PROJECT_ID, task.id, { at: now - 48 * HOUR, dataType: "SUCCESS", value: 100 });
  return task;
}

/** The list and statistics requests since `from`, as sent. */
const functionRequests = (emulator: OmsEmulator, from: number) =>
  emulator.requests
    .slice(from)
    .filter((r) => r.operation === "list" || r.operation === "statistics")
    .map((r) => `${r.method} ${r.url} -> ${r.outcome}`);

describe("the functions and SyncEvent in a YAML program on the oms plugin", () => {
  let emulator: OmsEmulator;
  let stack: CliStack;
  let end: number;

  beforeAll(async () => {
    const { tarball, version } = pluginRelease();
    emulator = await startEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-insight-yaml-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML);
    stack = new CliStack({ programDir: dir, emulator });
    await stack.must("plugin install", ["plugin", "install", "resource", "oms", version, "--file", tarball]);
    seedBusyTask(emulator, "yaml-task");
    // The range ends a minute ago, so the events this test sends later fall outside it.
    end = Date.now() - 60_000;
    await stack.init(
      {
        ...omsConfig(emulator.url),
        taskId: "yaml-task",
        startTime: new Date(end - 24 * HOUR).toISOString(),
        endTime: String(end),
        second: "c.txt",
      },
      SECRET_CONFIG,
    );
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(stack?.table(`Functions and SyncEvent in YAML on the oms plugin, ${pulumiVersion()}`));
    stack?.remove();
    await emulator?.stop();
  });

  it("up lists, reads the last day's statistics (12 objects) and sends the event once", async () => {
    const from = emulator.requests.length;
    const step = await stack.must("up", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({});
    expect(step.calls.events).toBe(1);
    const sent = functionRequests(emulator, from);
    const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
    process.stdout.write(
      `\nYAML program: requests the functions sent during up\n  ${sent.join("\n  ")}\n` +
        `YAML program: output statistics\n${JSON.stringify(outputs.statistics, null, 2)}\n`,
    );
    // `up --yes` runs the program twice, for its preview and for the update: each function is called once in each.
    const once = [
      `GET /v2/${PROJECT_ID}/sync-tasks?limit=100&offset=0&status=SYNCHRONIZING -> 200`,
      `GET /v2/${PROJECT_ID}/sync-tasks/yaml-task/statistics?data_type=SUCCESS&start_time=${end - 24 * HOUR}&end_time=${end} -> 200`,
    ];
    expect(sent).toEqual([...once, ...once]);
    expect(outputs.statistics).toMatchObject({
      syncTaskId: "yaml-task",
      dataType: "SUCCESS",
      interval: "FIVE_MINUTES",
      sum: 12,
    });
    expect(outputs.statistics.points).toHaveLength(288);
    expect(outputs.tasks).toEqual([
      expect.objectContaining({ syncTaskId: "yaml-task", status: "SYNCHRONIZING", srcBucket: "logs" }),
    ]);
    expect(outputs.eventStatus).toBe(200);
    expect(emulator.task(PROJECT_ID, "yaml-task")?.events.map((e) => e.objectKeys)).toEqual([
      ["logs/a b.txt", "c.txt"],
    ]);
  });

  it("a second up reads again but sends no event; a changed key replaces the event (sent again); destroy sends none", async () => {
    const again = await stack.must("up (unchanged)", ["up", "--yes"]);
    expect(again.calls.events).toBeUndefined();
    expect(again.calls.statistics).toBeGreaterThanOrEqual(1);
    await stack.setConfig("second", "d.txt", false);
    const replaced = await stack.must("up (objectKeys changed)", ["up", "--yes"]);
    expect(replaced.calls.events).toBe(1);
    expect(emulator.task(PROJECT_ID, "yaml-task")?.events.map((e) => e.objectKeys[1])).toEqual(["c.txt", "d.txt"]);
    const destroyed = await stack.must("destroy", ["destroy", "--yes"]);
    expect(destroyed.calls.events).toBeUndefined();
  });
});

describe("the functions and SyncEvent in the Node.js example sync-statistics", () => {
  let emulator: OmsEmulator;
  let stack: CliStack;

  beforeAll(async () => {
    emulator = await startEmulator();
    stack = new CliStack({ programDir: programDir({ example: "sync-statistics" }), emulator });
    seedBusyTask(emulator, "node-task");
    await stack.init(omsConfig(emulator.url), SECRET_CONFIG);
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(
      stack?.table(`Functions and SyncEvent in Node.js (examples/sync-statistics), ${pulumiVersion()}`),
    );
    stack?.remove();
    await emulator?.stop();
  });

  it("up prints and exports the last day's successful objects per task, from one list and one statistics call a run", async () => {
    const from = emulator.requests.length;
    const step = await stack.must("up", ["up", "--yes"]);
    const sent = functionRequests(emulator, from);
    process.stdout.write(`\nNode.js program: requests the functions sent during up\n  ${sent.join("\n  ")}\n`);
    // `up --yes` runs the program twice, for its preview and for the update.
    const once = [
      `GET /v2/${PROJECT_ID}/sync-tasks?limit=100&offset=0 -> 200`,
      expect.stringMatching(
        /^GET \/v2\/\w+\/sync-tasks\/node-task\/statistics\?data_type=SUCCESS&start_time=\d{13}&end_time=\d{13} -> 200$/,
      ),
    ];
    expect(sent).toEqual([...once, ...once]);
    const [start, stop] = /start_time=(\d+)&end_time=(\d+)/.exec(sent[1])!.slice(1).map(Number);
    expect(stop - start).toBe(24 * HOUR);
    expect(step.stdout).toContain("node-task (logs -> destination-bucket): 12 objects synchronized in the last day");
    const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
    expect(outputs.successfulObjects).toEqual({ "node-task": 12 });
  });

  it("syncNow sends one SyncEvent; an unchanged up sends none; new names replace it; destroy sends none", async () => {
    await stack.setConfig("syncTaskId", "node-task", false);
    await stack.setConfig("syncNow", "a.txt, logs/b c.txt", false);
    const sent = await stack.must("up (syncNow)", ["up", "--yes"]);
    expect(sent.calls.events).toBe(1);
    expect(emulator.task(PROJECT_ID, "node-task")?.events.map((e) => e.objectKeys)).toEqual([
      ["a.txt", "logs/b c.txt"],
    ]);
    const again = await stack.must("up (unchanged)", ["up", "--yes"]);
    expect(again.calls.events).toBeUndefined();
    await stack.setConfig("syncNow", "e.txt", false);
    const replaced = await stack.must("up (new names)", ["up", "--yes"]);
    expect(replaced.calls.events).toBe(1);
    const destroyed = await stack.must("destroy", ["destroy", "--yes"]);
    expect(destroyed.calls.events).toBeUndefined();
    expect(emulator.task(PROJECT_ID, "node-task")?.events).toHaveLength(2);
  });
});
