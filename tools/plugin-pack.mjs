#!/usr/bin/env node
// `npm run plugin:pack`: the `oms` resource provider plugin as the tarball `pulumi plugin install resource oms
// <version> --file <tarball>` takes: `pulumi-resource-oms` (a launcher for Node.js 20+ from PATH) at its root, beside
// one bundled file holding the plugin and everything it needs (gRPC, Pulumi's protocol stubs, axios), so nothing else
// has to be installed. Writes dist/plugin/pulumi-resource-oms-v<version>-<os>-<arch>.tar.gz and prints its absolute
// path as the last line.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const ARCH = { x64: "amd64", arm64: "arm64" }[process.arch];
const OS = { linux: "linux", darwin: "darwin" }[process.platform];
if (!ARCH || !OS) {
  process.stderr.write(`plugin:pack: error: no plugin build for ${process.platform}/${process.arch}\n`);
  process.exit(1);
}

const out = path.join(root, "dist", "plugin");
const stage = path.join(out, "stage");
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

await build({
  entryPoints: [path.join(root, "provider", "plugin", "main.ts")],
  outfile: path.join(stage, "pulumi-resource-oms.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  legalComments: "linked",
  logLevel: "warning",
});
// The plugin reads its version (and the schema's links) from the package's manifest beside it.
const { name, version, homepage, license, repository } = manifest;
fs.writeFileSync(
  path.join(stage, "package.json"),
  JSON.stringify({ name, version, homepage, license, repository, private: true }, null, 2) + "\n",
);
fs.writeFileSync(
  path.join(stage, "pulumi-resource-oms"),
  '#!/bin/sh\n# The oms resource provider plugin: needs Node.js 20 or later on PATH.\nexec node "$(dirname "$0")/pulumi-resource-oms.js" "$@"\n',
  { mode: 0o755 },
);
fs.copyFileSync(path.join(root, "LICENSE"), path.join(stage, "LICENSE"));

const tarball = path.join(out, `pulumi-resource-oms-v${version}-${OS}-${ARCH}.tar.gz`);
execFileSync("tar", ["-czf", tarball, "-C", stage, "."], { stdio: "inherit" });
fs.rmSync(stage, { recursive: true, force: true });
process.stdout.write(`${tarball}\n`);
