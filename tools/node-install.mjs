#!/usr/bin/env node
// `npm run node:install`: installs the Node.js releases CI runs beside the machine's own (pinned below) into
// .node/<version>/bin/node (git-ignored), from the npm registry's node-<os>-<arch> packages, which hold the official
// binary at bin/node. `npm pack` fetches the package whatever its `os` and `cpu` fields say (`npm install` would skip
// it with EBADPLATFORM on another machine kind); tar unpacks bin/node alone. A binary already there that answers
// `--version` with its version is kept. The last lines of stdout are `<version> <absolute path of bin/>`, one per
// release; progress goes to stderr. Node.js built-ins and npm and tar only.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The releases CI runs under, beside the machine's own Node.js: the two LTS lines of today. */
export const NODE_VERSIONS = ["22.23.5", "24.22.3"];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.join(repoRoot, ".node");
const PLATFORMS = { linux: "linux", darwin: "darwin" };
const ARCHS = { x64: "x64", arm64: "arm64" };

const log = (msg) => process.stderr.write(`node:install: ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`node:install: error: ${msg}\n`);
  process.exit(1);
};

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) fail(`could not run ${command}: ${r.error.message}`);
  if (r.status !== 0) fail(`\`${command} ${args.join(" ")}\` failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout.trim();
}

const os = PLATFORMS[process.platform];
const arch = ARCHS[process.arch];
if (!os || !arch) fail(`no node-<os>-<arch> package is used for ${process.platform}-${process.arch}`);
const versions = process.argv.length > 2 ? process.argv.slice(2) : NODE_VERSIONS;

const lines = [];
for (const version of versions) {
  const bin = path.join(root, version, "bin");
  const node = path.join(bin, "node");
  if (fs.existsSync(node) && spawnSync(node, ["--version"], { encoding: "utf8" }).stdout?.trim() === `v${version}`) {
    log(`${version}: up to date`);
    lines.push(`${version} ${bin}`);
    continue;
  }
  const t0 = Date.now();
  const work = fs.mkdtempSync(path.join(root + "-"));
  try {
    const spec = `node-${os}-${arch}@${version}`;
    const tarball = run("npm", ["pack", "--silent", spec], work).split("\n").pop();
    run("tar", ["-xzf", tarball, "package/bin/node"], work);
    fs.rmSync(path.join(root, version), { recursive: true, force: true });
    fs.mkdirSync(bin, { recursive: true });
    fs.renameSync(path.join(work, "package", "bin", "node"), node);
    fs.chmodSync(node, 0o755);
    const answered = run(node, ["--version"], work);
    if (answered !== `v${version}`) fail(`${spec}'s bin/node answers ${answered}`);
    log(`${version}: ${spec} unpacked in ${Math.round((Date.now() - t0) / 1000)}s`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  lines.push(`${version} ${bin}`);
}
process.stdout.write(lines.join("\n") + "\n");
