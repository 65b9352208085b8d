#!/usr/bin/env node
// `oms-emulator` (and `npm run emulator`): a local OMS on 127.0.0.1 with one paused task, for trying the provider
// without Huawei Cloud.
import { DEFAULT_EMULATOR_PORT, EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS } from "./defaults";
import { OmsEmulator, type OpposingCall } from "./oms-emulator";

export { EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS };

const USAGE = `usage: oms-emulator [--port N] [--task-id ID] [--token TOKEN] [--opposing-call MODE]
  --port N, --port=N     port on 127.0.0.1 (0 picks a free one); env OMS_EMULATOR_PORT; default ${DEFAULT_EMULATOR_PORT}
  --task-id ID           the seeded task's id, so a stack survives a restart; env OMS_EMULATOR_TASK_ID
  --token TOKEN          also accept this IAM token (X-Auth-Token); env OMS_EMULATOR_TOKEN
  --opposing-call MODE   a start during a pending stop (and the reverse): reverses (default) or refused-until-done;
                         env OMS_EMULATOR_OPPOSING_CALL`;

const OPPOSING_CALLS: readonly OpposingCall[] = ["reverses", "refused-until-done"];

/** What the command was asked for. Flags win over environment variables. */
export interface CliOptions {
  port: number;
  /** Where the port came from, for messages. */
  portSource: string;
  taskId?: string;
  token?: string;
  opposingCall?: OpposingCall;
}

/** Parses `argv` and `env`; throws an Error whose message names the flag or variable at fault. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const match = /^--(port|task-id|token|opposing-call)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(arg === "--help" || arg === "-h" ? USAGE : `unknown argument "${arg}"\n${USAGE}`);
    const [, name, inline] = match;
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
      throw new Error(`--${name} needs a value\n${USAGE}`);
    }
    flags[name] = value;
  }
  const pick = (flag: string, variable: string) =>
    flags[flag] !== undefined
      ? { value: flags[flag], source: `--${flag}` }
      : env[variable]
        ? { value: env[variable] as string, source: variable }
        : undefined;

  const port = pick("port", "OMS_EMULATOR_PORT");
  let portNumber = DEFAULT_EMULATOR_PORT;
  if (port) {
    portNumber = Number(port.value);
    if (!/^\d+$/.test(port.value) || portNumber > 65535) {
      throw new Error(`port must be an integer 0–65535 (from ${port.source}), got "${port.value}"`);
    }
  }
  const taskId = pick("task-id", "OMS_EMULATOR_TASK_ID");
  if (taskId && !/^[A-Za-z0-9_.:-]{1,255}$/.test(taskId.value)) {
    throw new Error(`task id (from ${taskId.source}) must be 1–255 letters, digits, or . _ : -`);
  }
  const token = pick("token", "OMS_EMULATOR_TOKEN");
  if (token && (token.value.length > 16_384 || /\s/.test(token.value))) {
    throw new Error(`token (from ${token.source}) must be at most 16384 characters without whitespace`);
  }
  const opposing = pick("opposing-call", "OMS_EMULATOR_OPPOSING_CALL");
  if (opposing && !OPPOSING_CALLS.includes(opposing.value as OpposingCall)) {
    throw new Error(
      `opposing call (from ${opposing.source}) must be ${OPPOSING_CALLS.join(" or ")}, got "${opposing.value}"`,
    );
  }
  return {
    port: portNumber,
    portSource: port?.source ?? "the default",
    taskId: taskId?.value,
    token: token?.value,
    opposingCall: opposing?.value as OpposingCall | undefined,
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`oms-emulator: ${(error as Error).message}`);
    process.exit(2);
  }
  let emulator: OmsEmulator;
  try {
    emulator = await OmsEmulator.start({
      port: options.port,
      credentials: [EMULATOR_API_KEY],
      tokens: options.token ? [options.token] : [],
      transitionDelayMs: 1000,
      opposingCall: options.opposingCall,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === "EADDRINUSE"
        ? `oms-emulator: port ${options.port} is in use; pick another with --port N or OMS_EMULATOR_PORT (this one came from ${options.portSource})`
        : `oms-emulator: cannot listen on 127.0.0.1:${options.port} (${code ?? (error as Error).message})`,
    );
    process.exit(1);
  }
  const task = emulator.seedTask({
    id: options.taskId,
    projectId: EMULATOR_PROJECT_ID,
    status: "STOPPED",
    keys: EMULATOR_TASK_KEYS,
  });
  const auth = options.token
    ? [
        `  pulumi config set --secret oms:token ${options.token}`,
        `  # or AK/SK signing: oms:accessKey ${EMULATOR_API_KEY.accessKey}, oms:secretKey ${EMULATOR_API_KEY.secretKey}`,
      ]
    : [
        `  pulumi config set --secret oms:accessKey ${EMULATOR_API_KEY.accessKey}`,
        `  pulumi config set --secret oms:secretKey ${EMULATOR_API_KEY.secretKey}`,
      ];
  const lines = [
    `OMS emulator listening on ${emulator.url} (an emulation: no Huawei Cloud call is made)`,
    `One paused sync task: ${task.id} (project ${EMULATOR_PROJECT_ID}); start and stop take effect after 1 s.`,
    "",
    "Point a Pulumi stack at it:",
    `  pulumi config set oms:endpoint ${emulator.url}`,
    `  pulumi config set oms:region cn-north-4`,
    `  pulumi config set oms:projectId ${EMULATOR_PROJECT_ID}`,
    ...auth,
    `  pulumi config set --secret oms:srcAk ${EMULATOR_TASK_KEYS.srcAk}`,
    `  pulumi config set --secret oms:srcSk ${EMULATOR_TASK_KEYS.srcSk}`,
    `  pulumi config set --secret oms:dstAk ${EMULATOR_TASK_KEYS.dstAk}`,
    `  pulumi config set --secret oms:dstSk ${EMULATOR_TASK_KEYS.dstSk}`,
    `  pulumi config set syncTaskId ${task.id}`,
    "",
    "Ctrl-C stops it.",
  ];
  let last = "";
  const timer = setInterval(() => {
    const now = emulator.task(EMULATOR_PROJECT_ID, task.id)?.status ?? "deleted";
    if (now !== last) console.log(`[${new Date().toISOString()}] task ${task.id}: ${now}`);
    last = now;
  }, 250);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    void emulator.stop().then(() => {
      console.log("OMS emulator stopped");
      process.exit(0);
    });
  };
  // Taken before the lines are printed: whoever waits for "Ctrl-C stops it." may signal at once (a pipe's write is
  // synchronous, so the reader can act before the next statement here runs).
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("SIGHUP", shutdown);
  console.log(lines.join("\n"));
  // Started through a wrapper (`npm run`, `npx`) that was killed: the wrapper does not always pass the signal on, so
  // an emulator whose parent went away stops too instead of holding its port.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown();
  }, 250).unref();
}

if (require.main === module) void main();
