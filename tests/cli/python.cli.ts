// A Python program on the `oms` plugin under the real Pulumi CLI: docs/languages.md's Python program as printed, in a
// virtualenv with PyPI's `pulumi` (pinned in tests/cli/programs/python/requirements.txt) and the Python SDK that the
// page's `pulumi package gen-sdk` command writes from schema.json, run by the Python language host through up, a
// preview with no change, a flip, refresh, `pulumi import` of both types, an explicit provider and destroy, against
// the emulator. Every step is audited for secrets.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedAwsTask, startEmulator } from "../support/fixture";
import { REPO } from "../support/packed-program";
import { TASK_KEYS } from "../support/secrets";
import { changedProperties, CliStack, formsOf, pluginRelease, pulumiDir, pulumiVersion } from "./support/cli";
import { omsConfig, SECRET_CONFIG } from "./support/program";
import { expectKeysOnlyAsCiphertext, expectRefreshReadsOnly } from "./support/plugin-program";
import { pythonProgramOfLanguagesPage, pythonSdk, PYTHON_REQUIREMENTS } from "./support/python";

/** The Python program of docs/languages.md, exactly as printed. */
const PAGE_PROGRAM = pythonProgramOfLanguagesPage();
/** The task the page's program keeps paused with a SyncTaskState (its id, as printed). */
const MIRROR_ID = /sync_task_id="([^"]+)"/.exec(PAGE_PROGRAM)![1];

let emulator: OmsEmulator;
let stack: CliStack;
let dir: string;
let venv: string;

const write = (program: string) => fs.writeFileSync(path.join(dir, "__main__.py"), program);
const tasks = () => emulator.allTasks();
const task = (bucket: string) => tasks().find((t) => t.srcBucket === bucket);

beforeAll(async () => {
  emulator = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-python-"));
  const sdk = await pythonSdk(dir);
  venv = path.join(dir, "venv");
  execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  const pip = (args: string[]) =>
    execFileSync(path.join(venv, "bin", "pip"), ["install", "--no-input", "--disable-pip-version-check", ...args], {
      env: { ...process.env, PIP_CACHE_DIR: path.join(REPO, ".pip-cache") },
      stdio: ["ignore", "ignore", "inherit"],
    });
  pip(["-r", PYTHON_REQUIREMENTS]);
  pip([sdk]); // as docs/languages.md says: pip install ./sdk/python
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: oms-python\nruntime: python\n");
  write(PAGE_PROGRAM);
  seedAwsTask(emulator, "mirror", { id: MIRROR_ID });
  // The virtualenv's python first on PATH, as an activated virtualenv has it: the host runs `python3` from PATH.
  stack = new CliStack({
    programDir: dir,
    emulator,
    env: {
      PATH: [pulumiDir(), path.join(venv, "bin"), process.env.PATH ?? ""].join(path.delimiter),
      VIRTUAL_ENV: venv,
    },
  });
  const { tarball, version } = pluginRelease();
  await stack.must("plugin install", ["plugin", "install", "resource", "oms", version, "--file", tarball]);
  await stack.init(omsConfig(emulator.url), SECRET_CONFIG);
}, 900_000);

afterAll(async () => {
  if (stack) process.stdout.write(stack.table(`The Python program of docs/languages.md, ${pulumiVersion()}`));
  stack?.remove();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await emulator?.stop();
});

it("the virtualenv runs the pinned pulumi and the generated SDK", () => {
  const python = path.join(venv, "bin", "python");
  const versions = execFileSync(
    python,
    ["-c", "import importlib.metadata as m; print(m.version('pulumi'), m.version('pulumi_oms_sync'))"],
    { encoding: "utf8" },
  ).trim();
  const pinned = /^pulumi==(\S+)$/m.exec(fs.readFileSync(PYTHON_REQUIREMENTS, "utf8"))![1];
  expect(versions).toBe(`${pinned} 0.1.0`);
});

it("up creates the page's SyncTask and pauses the existing task, through the Python host and the oms plugin", async () => {
  const step = await stack.must("up (create)", ["up", "--yes"]);
  expect(CliStack.mutations(step)).toEqual({ create: 1, stop: 1 });
  expect(task("app-logs")?.status).toBe("SYNCHRONIZING");
  expect(task("mirror-src")?.status).toBe("STOPPED");
  const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
  expect(outputs).toEqual({ syncTaskId: task("app-logs")!.id });
});

it("a preview with nothing changed shows no change and makes no mutating call", async () => {
  const step = await stack.must("preview (no change)", ["preview", "--diff"]);
  expect(CliStack.mutations(step)).toEqual({});
  expect(step.stdout).toMatch(/3 unchanged/);
  expect(step.stdout).not.toMatch(/to update|to replace|to create|to delete/);
});

it("a flip of the SyncTask previews as a change of state, and up pauses the task", async () => {
  write(PAGE_PROGRAM.replace('state="started"', 'state="paused"'));
  const preview = await stack.must("preview --diff (logs paused)", ["preview", "--diff"]);
  expect(changedProperties(preview.stdout, "logs")).toEqual(["~ state"]);
  expect(CliStack.mutations(preview)).toEqual({});
  const up = await stack.must("up (logs paused)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({ stop: 1 });
  expect(task("app-logs")?.status).toBe("STOPPED");
});

it("refresh reads both tasks and changes nothing", () => expectRefreshReadsOnly(stack, 2));

it("the state holds the keys only as ciphertext", () => expectKeysOnlyAsCiphertext(stack));

/**
 * The Python code `pulumi import` would write for the resource at `urn`: the served Python host (sdk v3.68.0) has no
 * GenerateProgram, so `oms-sdkgen import-code` runs the importer and the Python program generator of the CLI's own pkg
 * module, which a current host runs, on the state as `pulumi stack export` prints it (secrets as ciphertext).
 */
async function importCode(urn: string): Promise<string> {
  const exported = await stack.must("stack export (for the import code)", ["stack", "export"]);
  const file = path.join(stack.root, "export.json");
  fs.writeFileSync(file, exported.stdout);
  const sdkgen = path.join(pulumiDir(), "oms-sdkgen");
  return execFileSync(sdkgen, ["import-code", path.join(REPO, "schema.json"), "python", file, urn], {
    encoding: "utf8",
  });
}

it.each([
  ["oms:index:SyncTaskState", "adopted_state"],
  ["oms:index:SyncTask", "adopted_task"],
])(
  "pulumi import %s reads the task into state with no mutating call; its Python code previews with no change",
  async (type, name) => {
    const seeded = seedAwsTask(emulator, name);
    const imported = await stack.run(`import ${type}`, ["import", type, name, seeded.id, "--yes"]);
    process.stdout.write(`\n$ pulumi import ${type} ${name} <id> --yes\n${imported.stdout}\n${imported.stderr}\n`);
    expect(CliStack.mutations(imported)).toEqual({});
    expect(imported.calls.show).toBeGreaterThanOrEqual(1);
    expect(imported.stdout).toMatch(/= 1 imported/);
    // The import is in state; only the code is missing: the Python host the module proxy serves cannot write it.
    expect(imported.exit).toBe(1);
    expect(`${imported.stdout}${imported.stderr}`).toContain("error: method GenerateProgram not implemented");
    const resource = await stack.resource(type, name);
    expect(resource?.id).toBe(seeded.id);
    const code = await importCode(resource!.urn);
    process.stdout.write(`${code}\n`);
    for (const planted of stack.planted) for (const form of formsOf(planted)) expect(code).not.toContain(form);
    expect(code).toContain(`"${name}"`);
    const current = fs.readFileSync(path.join(dir, "__main__.py"), "utf8");
    write(`${current}\n${code.replace(/^import pulumi.*\n/gm, "")}`);
    const preview = await stack.must(`preview (imported ${name})`, ["preview", "--diff"]);
    expect(preview.stdout).not.toMatch(/to update|to replace|to create|to delete/);
    expect(CliStack.mutations(preview)).toEqual({});
    // Imported resources are protected; the destroy below needs them not to be.
    await stack.must(`state unprotect ${name}`, ["state", "unprotect", "--all", "--yes"]);
    write(
      fs
        .readFileSync(path.join(dir, "__main__.py"), "utf8")
        .replace(/,\s*opts\s*=\s*pulumi\.ResourceOptions\(protect=True\)/g, ""),
    );
  },
);

it("an explicit provider (oms.Provider) carries the connection and keys for its resources", async () => {
  const current = fs.readFileSync(path.join(dir, "__main__.py"), "utf8");
  write(`${current}
config = pulumi.Config("oms")
own = oms.Provider("own", endpoint=config.require("endpoint"), region="cn-north-4",
                   project_id=config.require("projectId"), access_key=config.require_secret("accessKey"),
                   secret_key=config.require_secret("secretKey"), src_ak=config.require_secret("srcAk"),
                   src_sk=config.require_secret("srcSk"), dst_ak=config.require_secret("dstAk"),
                   dst_sk=config.require_secret("dstSk"))
oms.SyncTask("via_own", src_cloud_type="AWS", src_region="us-east-1", src_bucket="own-src",
             dst_region="cn-north-4", dst_bucket="own-dst", opts=pulumi.ResourceOptions(provider=own))
`);
  const up = await stack.must("up (explicit provider)", ["up", "--yes"]);
  expect(CliStack.mutations(up)).toEqual({ create: 1 });
  expect(task("own-src")?.status).toBe("SYNCHRONIZING");
  const state = await stack.exported();
  const own = state.deployment.resources?.find((r) => r.urn.endsWith("::own"));
  const viaOwn = state.deployment.resources?.find((r) => r.urn.endsWith("::via_own")) as { provider?: string };
  expect(viaOwn.provider?.startsWith(`${own!.urn}::`)).toBe(true);
  for (const key of Object.values(TASK_KEYS)) expect(JSON.stringify(own)).not.toContain(key);
});

it("destroy deletes the three SyncTasks and leaves the tasks of the two SyncTaskStates as they are", async () => {
  const step = await stack.must("destroy", ["destroy", "--yes"]);
  expect(step.calls.delete).toBe(3);
  expect(tasks().map((t) => [t.srcBucket, t.status])).toEqual([
    ["mirror-src", "STOPPED"],
    ["adopted_state-src", "SYNCHRONIZING"],
  ]);
});
