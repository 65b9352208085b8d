// A throwaway Pulumi program directory with this package installed from its `npm pack` tarball, exactly as a user
// would install it; @pulumi/pulumi is linked from the repo's own install (it is the program's, not ours, to pick).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");
export const PROGRAM_DIR_ENV = "OMS_SYNC_TEST_PROGRAM_DIR";

export interface PackedProgram {
  dir: string;
  tarball: string;
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Packs the repo and installs the tarball into a new program directory. Takes a few seconds. */
export function createPackedProgram(): PackedProgram {
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
 * The `__provider` text exactly as a program registers it: `new SyncTaskState(...)` in a node process whose working
 * directory is the program, under `pulumi.runtime.setMocks`, capturing what the mock engine receives.
 */
export function serializeProviderIn(programDir: string): string {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    let captured;
    pulumi.runtime.setMocks({
      newResource: (args) => { captured = args.inputs.__provider; return { id: "probe", state: args.inputs }; },
      call: (args) => args.inputs,
    }, "probe", "probe", false);
    const { SyncTaskState } = require("pulumi-oms-sync");
    new SyncTaskState("probe", { syncTaskId: "probe", state: "paused" });
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
