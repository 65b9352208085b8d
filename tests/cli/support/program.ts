// Program directories for the CLI tests: an example (or a purpose-made program) with this package installed from
// its packed tarball, and the stack config every test starts from.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createPackedProgram, REPO } from "../../support/packed-program";
import { stackConfig } from "../../support/stack";

/** Where the purpose-made programs live. */
const PROGRAMS = path.join(REPO, "tests", "cli", "programs");

/**
 * A program directory running `source` (an example under examples/, or a program under tests/cli/programs/) with the
 * packed package and `@pulumi/pulumi` (the repo's, or `pulumiVersion` from the registry).
 */
export function programDir(source: { example: string } | { program: string }, pulumiVersion?: string): string {
  const { dir } = createPackedProgram(pulumiVersion);
  const from = "example" in source ? path.join(REPO, "examples", source.example) : path.join(PROGRAMS, source.program);
  const name = "example" in source ? source.example : source.program;
  fs.copyFileSync(path.join(from, "index.ts"), path.join(dir, "index.ts"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: ${name}\n`);
  return dir;
}

/** The `oms:*` config of a stack against the emulator; the keys are set with --secret ({@link SECRET_CONFIG}). */
export const omsConfig = (endpoint: string): Record<string, string> => stackConfig(endpoint);

export const SECRET_CONFIG = ["oms:accessKey", "oms:secretKey", "oms:srcAk", "oms:srcSk", "oms:dstAk", "oms:dstSk"];

/** The 0.1.0 package as it was published (`npm pack` of its commit), kept for the upgrade test. */
export const TARBALL_0_1_0 = path.join(REPO, "tests", "compat", "fixtures", "pulumi-oms-sync-0.1.0.tgz");

/**
 * A program directory running examples/`example` with the package installed from `tarball` (0.1.0's, say) and the
 * repo's `@pulumi/pulumi`; {@link installTarball} swaps the package later, as an upgrade does.
 */
export function programWith(tarball: string, example: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sync-upgrade-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: example, private: true }));
  installTarball(dir, tarball);
  fs.copyFileSync(path.join(REPO, "examples", example, "index.ts"), path.join(dir, "index.ts"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${example}\nruntime: nodejs\n`);
  return dir;
}

/**
 * Installs the package from `tarball` into a program directory (an upgrade, or a first install), with the repo's
 * `@pulumi/pulumi` linked in (npm removes a link it did not make).
 */
export function installTarball(dir: string, tarball: string): void {
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps", "--no-package-lock", tarball],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const link = path.join(dir, "node_modules", "@pulumi", "pulumi");
  if (fs.existsSync(link)) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi", "pulumi"), link, "dir");
}
