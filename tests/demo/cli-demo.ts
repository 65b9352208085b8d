// `npm run demo -- --cli`: the demo's steps through the real `pulumi` (the one `npm run cli:install` built, or one on
// PATH): the start-task example installed from the packed tarball, a local file backend, keys set with
// `pulumi config set --secret`, OMS emulated. Each command's own output is shown, then a table of every step.
import * as fs from "fs";
import * as path from "path";
import { OmsEmulator } from "../../emulator/oms-emulator";
import { EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS } from "../../emulator/cli";
import { createPackedProgram, REPO } from "../support/packed-program";
import { CliStack, pulumiVersion } from "../cli/support/cli";

const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];

/** The demo's `oms:*` stack config against the emulator, with the emulator's well-known keys. */
export function demoConfig(endpoint: string): Record<string, string> {
  return {
    "oms:endpoint": endpoint,
    "oms:region": "cn-north-4",
    "oms:projectId": EMULATOR_PROJECT_ID,
    "oms:accessKey": EMULATOR_API_KEY.accessKey,
    "oms:secretKey": EMULATOR_API_KEY.secretKey,
    "oms:srcAk": EMULATOR_TASK_KEYS.srcAk,
    "oms:srcSk": EMULATOR_TASK_KEYS.srcSk,
    "oms:dstAk": EMULATOR_TASK_KEYS.dstAk,
    "oms:dstSk": EMULATOR_TASK_KEYS.dstSk,
  };
}

/** Runs the demo through the CLI; throws on the first command that fails. */
export async function cliDemo(): Promise<void> {
  console.log(`pulumi-oms-sync demo through ${pulumiVersion()}: OMS is emulated on 127.0.0.1; no cloud call.\n`);
  const { dir } = createPackedProgram();
  fs.copyFileSync(path.join(REPO, "examples", "start-task", "index.ts"), path.join(dir, "index.ts"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: start-task\nruntime: nodejs\n");
  const emulator = await OmsEmulator.start({ credentials: [EMULATOR_API_KEY], transitionDelayMs: 1000 });
  const task = emulator.seedTask({ projectId: EMULATOR_PROJECT_ID, status: "STOPPED", keys: EMULATOR_TASK_KEYS });
  const stack = new CliStack({ programDir: dir, emulator, stack: "demo" });
  try {
    await stack.init(
      {
        ...demoConfig(emulator.url),
        syncTaskId: task.id,
        state: "paused",
      },
      SECRET_CONFIG,
    );
    const run = async (title: string, args: string[]) => {
      console.log(`$ pulumi ${args.join(" ")}    # ${title}`);
      const step = await stack.must(title, args);
      console.log(step.stdout.trim().replace(/^/gm, "    "), "\n");
    };
    await run("record the paused task", ["up", "--yes"]);
    await stack.setConfig("state", "started", false);
    await run("the change, before it is made", ["preview", "--diff"]);
    await run("start it and wait", ["up", "--yes"]);
    await run("nothing to do", ["up", "--yes"]);
    await run("stop managing it; the task keeps running", ["destroy", "--yes"]);
    console.log(stack.table("Every command: exit code, OMS calls, seconds"));
  } finally {
    stack.remove();
    await emulator.stop();
  }
}
