// `npm run emulator`: a local OMS on 127.0.0.1 with one paused task, for trying the provider without Huawei Cloud.
import { OmsEmulator } from "./oms-emulator";

const DEFAULT_PORT = 8787;
/** Fixed, obviously fake values: they exist only inside this emulator. */
export const EMULATOR_PROJECT_ID = "0emulatedproject0000000000000000";
export const EMULATOR_API_KEY = { accessKey: "EMULATORACCESSKEY000", secretKey: "emulator-secret-key" };
export const EMULATOR_TASK_KEYS = {
  srcAk: "emulator-src-ak",
  srcSk: "emulator-src-sk",
  dstAk: "emulator-dst-ak",
  dstSk: "emulator-dst-sk",
};

function parsePort(argv: string[], env: NodeJS.ProcessEnv): number {
  const flag = argv.indexOf("--port");
  const raw = flag >= 0 ? argv[flag + 1] : env.OMS_EMULATOR_PORT;
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `port must be an integer 0–65535 (from ${flag >= 0 ? "--port" : "OMS_EMULATOR_PORT"}), got "${raw}"`,
    );
  }
  return port;
}

async function main(): Promise<void> {
  let port: number;
  try {
    port = parsePort(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`oms-emulator: ${(error as Error).message}`);
    process.exit(2);
  }
  let emulator: OmsEmulator;
  try {
    emulator = await OmsEmulator.start({ port, credentials: [EMULATOR_API_KEY], transitionDelayMs: 1000 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === "EADDRINUSE"
        ? `oms-emulator: port ${port} is in use; pick another with --port N or OMS_EMULATOR_PORT`
        : `oms-emulator: cannot listen on 127.0.0.1:${port} (${code ?? (error as Error).message})`,
    );
    process.exit(1);
  }
  const task = emulator.seedTask({ projectId: EMULATOR_PROJECT_ID, status: "STOPPED", keys: EMULATOR_TASK_KEYS });
  const lines = [
    `OMS emulator listening on ${emulator.url} (an emulation: no Huawei Cloud call is made)`,
    `One paused sync task: ${task.id} (project ${EMULATOR_PROJECT_ID}); start and stop take effect after 1 s.`,
    "",
    "Point a Pulumi stack at it:",
    `  pulumi config set oms:endpoint ${emulator.url}`,
    `  pulumi config set oms:region cn-north-4`,
    `  pulumi config set oms:projectId ${EMULATOR_PROJECT_ID}`,
    `  pulumi config set --secret oms:accessKey ${EMULATOR_API_KEY.accessKey}`,
    `  pulumi config set --secret oms:secretKey ${EMULATOR_API_KEY.secretKey}`,
    `  pulumi config set --secret oms:srcAk ${EMULATOR_TASK_KEYS.srcAk}`,
    `  pulumi config set --secret oms:srcSk ${EMULATOR_TASK_KEYS.srcSk}`,
    `  pulumi config set --secret oms:dstAk ${EMULATOR_TASK_KEYS.dstAk}`,
    `  pulumi config set --secret oms:dstSk ${EMULATOR_TASK_KEYS.dstSk}`,
    `  pulumi config set syncTaskId ${task.id}`,
    "",
    "Ctrl-C stops it.",
  ];
  console.log(lines.join("\n"));
  let last = "";
  const timer = setInterval(() => {
    const now = emulator.task(EMULATOR_PROJECT_ID, task.id)?.status ?? "deleted";
    if (now !== last) console.log(`[${new Date().toISOString()}] task ${task.id}: ${now}`);
    last = now;
  }, 250);
  const shutdown = () => {
    clearInterval(timer);
    void emulator.stop().then(() => {
      console.log("OMS emulator stopped");
      process.exit(0);
    });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (require.main === module) void main();
