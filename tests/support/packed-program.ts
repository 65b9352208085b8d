// A throwaway Pulumi program directory with this package installed from its `npm pack` tarball, exactly as a user
// would install it; @pulumi/pulumi is linked from the repo's own install (it is the program's, not ours, to pick).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root, found from here whether this runs as source (tests) or compiled under dist/ (demo). */
function findRepo(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "pulumi-oms-sync") return dir;
  }
  throw new Error("cannot find the pulumi-oms-sync repository above " + __dirname);
}
export const REPO = findRepo();
export const PROGRAM_DIR_ENV = "OMS_SYNC_TEST_PROGRAM_DIR";

export interface PackedProgram {
  dir: string;
  tarball: string;
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Packs the repo and installs the tarball into a new program directory. Takes a few seconds. The program uses the
 * repo's own `@pulumi/pulumi`, or, given `pulumiVersion`, that version from the registry (the compatibility run).
 */
export function createPackedProgram(pulumiVersion?: string): PackedProgram {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sync-program-"));
  const tarballName = npm(["pack", "--silent", "--pack-destination", root], REPO).trim().split("\n").pop()!;
  const tarball = path.join(root, tarballName);
  const dir = path.join(root, "program");
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "oms-sync-test-program",
      private: true,
      dependencies: { "pulumi-oms-sync": `file:${tarball}` },
    }),
  );
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps", "--no-package-lock"], dir);
  if (pulumiVersion) {
    npm(
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--no-package-lock",
        `@pulumi/pulumi@${pulumiVersion}`,
      ],
      dir,
    );
    return { dir, tarball };
  }
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.symlinkSync(
    path.join(REPO, "node_modules", "@pulumi", "pulumi"),
    path.join(dir, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  return { dir, tarball };
}

/** The program directory made by the test run's global setup (or a new one when a test runs alone). */
export function packedProgram(): PackedProgram {
  const dir = process.env[PROGRAM_DIR_ENV];
  if (dir && fs.existsSync(dir)) return { dir, tarball: "" };
  const made = createPackedProgram();
  process.env[PROGRAM_DIR_ENV] = made.dir;
  return made;
}

/**
 * The `__provider` text exactly as a program registers it: `new SyncTaskState(...)` (or `resource`) in a node process whose working
 * directory is the program, under `pulumi.runtime.setMocks`, capturing what the mock engine receives.
 */
export function serializeProviderIn(
  programDir: string,
  resource: "SyncTaskState" | "SyncTask" | "SyncEvent" = "SyncTaskState",
  args: Record<string, unknown> = { syncTaskId: "probe", state: "paused" },
): string {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    let captured;
    pulumi.runtime.setMocks({
      newResource: (args) => { captured = args.inputs.__provider; return { id: "probe", state: args.inputs }; },
      call: (args) => args.inputs,
    }, "probe", "probe", false);
    const oms = require("pulumi-oms-sync");
    new oms[${JSON.stringify(resource)}]("probe", ${JSON.stringify(args)});
    process.on("beforeExit", () => {
      if (typeof captured !== "string") { console.error("no __provider was registered"); process.exit(1); }
      process.stdout.write(captured);
      process.exit(0);
    });`;
  return execFileSync(process.execPath, ["-e", script], {
    cwd: programDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** One resource registration, as the program sent it to the (mock) engine. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Runs an example program (TypeScript source under examples/) in the program directory under
 * `pulumi.runtime.setMocks`, with `config` as its stack config, and returns what it registered.
 */
export function runProgram(
  programDir: string,
  example: string,
  project: string,
  config: Record<string, string>,
): Registration[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const source = fs.readFileSync(path.join(REPO, "examples", example, "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(path.join(programDir, `${example}.js`), outputText);
  return registrationsOf(programDir, `${example}.js`, project, config);
}

/** Runs a JavaScript program file of the program directory under `setMocks` and returns what it registered. */
export function registrationsOf(
  programDir: string,
  file: string,
  project: string,
  config: Record<string, string>,
): Registration[] {
  const runner = `
    const pulumi = require("@pulumi/pulumi");
    const registered = [];
    pulumi.runtime.setMocks({
      newResource: (args) => { registered.push({ type: args.type, name: args.name, inputs: args.inputs }); return { id: args.name, state: args.inputs }; },
      call: (args) => args.inputs,
    }, ${JSON.stringify(project)}, "dev", false);
    require(${JSON.stringify("./" + file)});
    process.on("beforeExit", () => { process.stdout.write(JSON.stringify(registered)); process.exit(0); });`;
  const prefixed = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `${project}:${k}`, v]),
  );
  const out = execFileSync(process.execPath, ["-e", runner], {
    cwd: programDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(prefixed) },
  });
  return JSON.parse(out) as Registration[];
}

/**
 * A program directory whose `pulumi-oms-sync` is a link to this repository (as `npm install ../..` without
 * install-links makes it): the case of running the repo's own example straight from a checkout.
 */
export function createLinkedProgram(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sync-linked-"));
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, "node_modules", "pulumi-oms-sync"), "dir");
  fs.symlinkSync(
    path.join(REPO, "node_modules", "@pulumi", "pulumi"),
    path.join(dir, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  return dir;
}
