// `npm run emulator` as a user runs it: the compiled CLI in its own process.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { OmsClient } from "../../provider";
import { REPO } from "../support/packed-program";
import { EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS, parseArgs } from "../../emulator/cli";

const CLI = path.join(REPO, "dist", "emulator", "cli.js");

beforeAll(() => {
  // The global setup packs the package, which builds it; build here when this file runs on its own.
  if (!fs.existsSync(CLI)) execFileSync("npm", ["run", "build", "--silent"], { cwd: REPO });
});

function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (stdout.includes(text)) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      void exited.then(() => {
        clearInterval(timer);
        if (!stdout.includes(text)) reject(new Error(`exited before printing ${text}: ${stderr}`));
      });
    });
  return { child, exited, printed, out: () => stdout, err: () => stderr };
}

it("listens on the given port, seeds one paused task, prints the config lines, and stops cleanly on Ctrl-C", async () => {
  const cli = startCli(["--port", "0"]);
  await cli.printed("Ctrl-C stops it.");
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.out())![1];
  const taskId = /pulumi config set syncTaskId (\S+)/.exec(cli.out())![1];
  expect(cli.out()).toContain(`pulumi config set oms:endpoint ${url}`);
  expect(cli.out()).toContain(`pulumi config set --secret oms:srcSk ${EMULATOR_TASK_KEYS.srcSk}`);

  const client = new OmsClient({
    projectId: EMULATOR_PROJECT_ID,
    endpoint: url,
    auth: { type: "aksk", ...EMULATOR_API_KEY },
  });
  await expect(client.showTask(taskId)).resolves.toMatchObject({ status: "STOPPED" });
  await expect(client.startTask(taskId, EMULATOR_TASK_KEYS)).resolves.toBe("requested");

  cli.child.kill("SIGINT");
  expect(await cli.exited).toBe(0);
  expect(cli.out()).toContain("OMS emulator stopped");
});

it("takes the port from OMS_EMULATOR_PORT and refuses a bad one with a clear message", async () => {
  const bad = startCli([], { OMS_EMULATOR_PORT: "eighty" });
  expect(await bad.exited).toBe(2);
  expect(bad.err()).toBe('oms-emulator: port must be an integer 0–65535 (from OMS_EMULATOR_PORT), got "eighty"\n');
});

it("names the port when it is taken", async () => {
  const first = startCli(["--port", "0"]);
  await first.printed("Ctrl-C stops it.");
  const port = /127\.0\.0\.1:(\d+)/.exec(first.out())![1];
  try {
    const second = startCli(["--port", port]);
    expect(await second.exited).toBe(1);
    expect(second.err()).toContain(`port ${port} is in use; pick another with --port N or OMS_EMULATOR_PORT`);
  } finally {
    first.child.kill("SIGINT");
    await first.exited;
  }
});

describe("the command's arguments", () => {
  it("takes --port N and --port=N, and a flag wins over OMS_EMULATOR_PORT", () => {
    expect(parseArgs(["--port", "9123"], {}).port).toBe(9123);
    expect(parseArgs(["--port=9123"], {}).port).toBe(9123);
    expect(parseArgs(["--port=9123"], { OMS_EMULATOR_PORT: "9000" })).toMatchObject({
      port: 9123,
      portSource: "--port",
    });
    expect(parseArgs([], { OMS_EMULATOR_PORT: "9000" })).toMatchObject({ port: 9000, portSource: "OMS_EMULATOR_PORT" });
    expect(parseArgs([], {}).port).toBe(8787);
  });

  it.each([
    [["--port"], "--port needs a value"],
    [["--port", "--token", "x"], "--port needs a value"],
    [["--port="], "--port needs a value"],
    [["--port=70000"], 'port must be an integer 0–65535 (from --port), got "70000"'],
    [["--prot=1"], 'unknown argument "--prot=1"'],
    [["--task-id", "a/b"], "task id (from --task-id) must be 1–255 letters"],
    [
      ["--opposing-call", "reverse"],
      'opposing call (from --opposing-call) must be reverses or refused-until-done, got "reverse"',
    ],
  ])("refuses %j naming the flag", (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(message);
  });

  it("takes a fixed task id and an IAM token from flags or the environment", () => {
    expect(parseArgs(["--task-id", "t-1", "--token=tok"], {})).toMatchObject({ taskId: "t-1", token: "tok" });
    expect(parseArgs([], { OMS_EMULATOR_TASK_ID: "t-2", OMS_EMULATOR_TOKEN: "tok2" })).toMatchObject({
      taskId: "t-2",
      token: "tok2",
    });
  });

  it("takes how a start during a pending stop is answered from a flag or the environment; reverses by default", () => {
    expect(parseArgs([], {}).opposingCall).toBeUndefined();
    expect(parseArgs(["--opposing-call=refused-until-done"], {}).opposingCall).toBe("refused-until-done");
    expect(parseArgs([], { OMS_EMULATOR_OPPOSING_CALL: "reverses" }).opposingCall).toBe("reverses");
  });

  it("accepts the IAM token it was given: the oms:token path can be tried", async () => {
    const cli = startCli(["--port=0", "--token", "emulator-iam-token", "--task-id", "fixed-id"]);
    await cli.printed("Ctrl-C stops it.");
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.out())![1];
    const client = new OmsClient({
      projectId: EMULATOR_PROJECT_ID,
      endpoint: url,
      auth: { type: "token", token: "emulator-iam-token" },
    });
    await expect(client.showTask("fixed-id")).resolves.toMatchObject({ syncTaskId: "fixed-id", status: "STOPPED" });
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });
});
