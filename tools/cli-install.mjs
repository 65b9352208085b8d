#!/usr/bin/env node
// `npm run cli:install`: builds the Pulumi CLI and its language hosts, pinned by tools/pulumi-cli/go.mod and go.sum,
// into .pulumi-cli/bin/ (git-ignored) and copies beside them the plugin launchers Pulumi's distribution carries (and
// the Python host's script).
// Progress goes to stderr; the last line of stdout is the absolute path of the folder to put on PATH.
// Without Go it falls back to a `pulumi` already on PATH; any failure exits non-zero with a one-line reason.
// Node.js built-ins only.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const moduleDir = path.join(repoRoot, "tools", "pulumi-cli");
const binDir = path.join(repoRoot, ".pulumi-cli", "bin");
const stampFile = path.join(binDir, ".stamp");
const exe = process.platform === "win32" ? ".exe" : "";

const PKG = "github.com/pulumi/pulumi/pkg/v3";
const SDK = "github.com/pulumi/pulumi/sdk/v3";
const YAML = "github.com/pulumi/pulumi-yaml";
const SDK_VERSION_VAR = `${SDK}/go/common/version.Version`;

// What gets built: binary name, the Go module (folder under tools/pulumi-cli/) that pins it, its package, and the
// module whose version (from that go.mod) goes into the -X variable (if any), as Pulumi's own release builds set it.
// Each language host has a module of its own, apart from the CLI's: see the tools.go in each folder for why.
const TOOLS = [
  { name: "pulumi", dir: ".", pkg: `${PKG}/cmd/pulumi`, versionOf: PKG, versionVar: SDK_VERSION_VAR },
  {
    name: "pulumi-language-yaml",
    dir: "yaml",
    pkg: `${YAML}/cmd/pulumi-language-yaml`,
    versionOf: YAML,
    versionVar: `${YAML}/pkg/version.Version`,
  },
  {
    name: "pulumi-language-nodejs",
    dir: "nodejs",
    pkg: `${SDK}/nodejs/cmd/pulumi-language-nodejs`,
    versionOf: SDK,
    versionVar: SDK_VERSION_VAR,
  },
  // The Python host, from the same sdk v3.68.0 as the Node.js host (see nodejs/tools.go); its script is copied below.
  {
    name: "pulumi-language-python",
    dir: "nodejs",
    pkg: `${SDK}/python/cmd/pulumi-language-python`,
    versionOf: SDK,
    versionVar: SDK_VERSION_VAR,
  },
  // The CLI for policy packs, in policy/ (see yaml/tools.go): the one whose packs the served Node.js host can run.
  { name: "policy/pulumi", dir: "yaml", pkg: `${PKG}/cmd/pulumi`, versionOf: PKG, versionVar: SDK_VERSION_VAR },
  // The Go host, and in sdkgen/ the CLI for `pulumi package gen-sdk` (see sdkgen/tools.go for why both are v3.66.0).
  {
    name: "pulumi-language-go",
    dir: "sdkgen",
    pkg: `${SDK}/go/pulumi-language-go`,
    versionOf: SDK,
    versionVar: SDK_VERSION_VAR,
  },
  {
    name: "sdkgen/pulumi",
    dir: "sdkgen",
    pkg: `${PKG}/cmd/pulumi`,
    versionOf: PKG,
    versionVar: `${PKG}/version.Version`,
  },
  // This project's own: the code generators of the CLI's pkg module, run as its language hosts run them (see the
  // command's doc comment).
  { name: "oms-sdkgen", dir: ".", pkg: "./cmd/oms-sdkgen", versionOf: PKG },
];
const MODULE_DIRS = [...new Set(TOOLS.map((t) => t.dir))];
// Launchers from the nodejs/dist/ of the CLI's sdk module (tools/pulumi-cli/go.mod). pulumi-analyzer-policy left the sdk in 2026 (policy packs now run
// through the language host's RunPlugin), so it is copied only when the pinned sdk still has it.
const LAUNCHERS = [
  { name: "pulumi-resource-pulumi-nodejs", dir: ".", required: true },
  { name: "pulumi-analyzer-policy", dir: ".", required: false },
  // The policy CLI's launcher, from its own sdk (yaml/go.mod).
  { name: "policy/pulumi-analyzer-policy", dir: "yaml", required: true },
  // The script the Python host runs a program with, found beside the host; from the host's own sdk (nodejs/go.mod).
  { name: "pulumi-language-python-exec", dir: "nodejs", from: "python/cmd", required: true },
];

const log = (msg) => process.stderr.write(`cli:install: ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`cli:install: error: ${msg}\n`);
  process.exit(1);
};

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name + exe))) return path.join(dir, name + exe);
  }
  return undefined;
}

function findGo() {
  return onPath("go") || (isExecutable("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
}

// Without Go: use an installed pulumi, or say what to install.
function fallback() {
  const pulumi = onPath("pulumi");
  if (!pulumi) {
    fail(
      "neither Go nor the Pulumi CLI was found: install Go 1.26+ (on PATH or at /usr/local/go) to build the " +
        "pinned CLI, or install the Pulumi CLI and put it on PATH",
    );
  }
  const dir = path.dirname(fs.realpathSync(pulumi));
  const v = spawnSync(pulumi, ["version"], { encoding: "utf8" });
  const version = v.status === 0 ? v.stdout.trim() : "unknown version";
  log(`go not found; using the pulumi CLI already on PATH: ${pulumi} (${version}, in ${dir}), not the pinned build`);
  process.stdout.write(`${dir}\n`);
  process.exit(0);
}

const goBin = findGo();
if (!goBin) fallback();

const goflags = (process.env.GOFLAGS || "")
  .split(/\s+/)
  .filter((f) => f && !f.startsWith("-mod="))
  .concat("-mod=readonly") // the module's go.sum is the pin; a go.mod that needs changes is an error
  .join(" ");
const goEnv = {
  ...process.env,
  PATH: [path.dirname(goBin), process.env.PATH || ""].join(path.delimiter),
  GOFLAGS: goflags,
  GOTOOLCHAIN: process.env.GOTOOLCHAIN || "local",
  GOWORK: "off",
  CGO_ENABLED: "0", // static binaries, as Pulumi releases them; needs no C compiler
};

function go(args, { capture = false, cwd = moduleDir } = {}) {
  const r = spawnSync(goBin, args, {
    cwd,
    env: goEnv,
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", 2, 2],
  });
  if (r.error) fail(`could not run ${goBin}: ${r.error.message}`);
  if (r.status !== 0) {
    const why = capture ? r.stderr.trim().split("\n").pop() : "see the output above";
    fail(`\`go ${args.join(" ")}\` failed (exit ${r.status}): ${why}`);
  }
  return capture ? r.stdout.trim() : "";
}

const started = Date.now();
// Outside the module, so that a too-old Go reports through the check below rather than failing here.
const goVersion = go(["env", "GOVERSION"], { capture: true, cwd: repoRoot });
const readModuleFile = (dir, f) => {
  try {
    return fs.readFileSync(path.join(moduleDir, dir, f));
  } catch (e) {
    return fail(`cannot read ${path.relative(repoRoot, path.join(moduleDir, dir, f))}: ${e.message}`);
  }
};
const have = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(goVersion);
const moduleHash = {};
for (const dir of MODULE_DIRS) {
  const goMod = readModuleFile(dir, "go.mod");
  moduleHash[dir] = createHash("sha256").update(readModuleFile(dir, "go.sum")).update("\0").update(goMod).digest("hex");
  // With GOTOOLCHAIN=local an older Go fails deep in the build; say so up front.
  const required = /^go (\d+)\.(\d+)(?:\.(\d+))?\s*$/m.exec(goMod.toString());
  if (required && have && goEnv.GOTOOLCHAIN === "local") {
    const num = (m) => [+m[1], +m[2], +(m[3] || 0)];
    const [r, h] = [num(required), num(have)];
    if ((h[0] - r[0] || h[1] - r[1] || h[2] - r[2]) < 0) {
      fail(`${goBin} is ${goVersion}, but ${path.join("tools/pulumi-cli", dir, "go.mod")} needs go ${r.join(".")}+`);
    }
  }
}
// A package of this project's own (`./...`) is stamped with its source files too.
function sourceHash(entry) {
  if (!entry.pkg?.startsWith("./")) return undefined;
  const dir = path.join(moduleDir, entry.dir, entry.pkg);
  const hash = createHash("sha256");
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  for (const file of files.sort())
    hash
      .update(file)
      .update("\0")
      .update(fs.readFileSync(path.join(dir, file)));
  return hash.digest("hex");
}
// Each file in the folder is stamped with what made it: its module's go.mod and go.sum, the Go version and its own
// recipe. A file whose stamp matches is kept; a change to one module rebuilds only what that module pins.
const stampOf = (entry) =>
  createHash("sha256")
    .update(
      JSON.stringify({
        entry,
        module: moduleHash[entry.dir],
        source: sourceHash(entry),
        goVersion,
        platform: process.platform,
        arch: process.arch,
      }),
    )
    .digest("hex");
const stamps = (() => {
  try {
    return JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return {};
  }
})();
const current = (entry) => stamps[entry.name] === stampOf(entry) && isExecutable(path.join(binDir, entry.name));
if ([...TOOLS, ...LAUNCHERS.filter((l) => l.required)].every(current)) {
  log(`up to date (${Object.keys(stamps).join(", ")}; ${goVersion}), nothing to build`);
  process.stdout.write(`${binDir}\n`);
  process.exit(0);
}

for (const sub of ["policy", "sdkgen"]) fs.mkdirSync(path.join(binDir, sub), { recursive: true });
log(`building into ${binDir} with ${goBin} (${goVersion}); a first build downloads modules and takes minutes`);
const saveStamps = () => fs.writeFileSync(stampFile, JSON.stringify(stamps, null, 2) + "\n");

for (const tool of TOOLS) {
  if (current(tool)) {
    log(`${tool.name}: up to date`);
    continue;
  }
  const cwd = path.join(moduleDir, tool.dir);
  const version = go(["list", "-m", "-f", "{{.Version}}", tool.versionOf], { capture: true, cwd });
  log(`go build ${tool.pkg} (${tool.versionOf}@${version}, tools/pulumi-cli/${tool.dir}/go.mod)`);
  const t0 = Date.now();
  delete stamps[tool.name];
  go(
    [
      "build",
      "-trimpath",
      "-ldflags",
      ["-s -w", ...(tool.versionVar ? [`-X ${tool.versionVar}=${version}`] : [])].join(" "),
      "-o",
      path.join(binDir, tool.name + exe),
      tool.pkg,
    ],
    { cwd },
  );
  log(`built ${tool.name} in ${Math.round((Date.now() - t0) / 1000)}s`);
  stamps[tool.name] = stampOf(tool);
  saveStamps();
}

for (const launcher of LAUNCHERS) {
  const sdkDir = go(["list", "-m", "-f", "{{.Dir}}", SDK], { capture: true, cwd: path.join(moduleDir, launcher.dir) });
  const folder = launcher.from ?? "nodejs/dist";
  const from = path.join(sdkDir, ...folder.split("/"), path.basename(launcher.name));
  if (!fs.existsSync(from)) {
    if (launcher.required) fail(`${from} is missing from the sdk module`);
    log(`${launcher.name}: not in this sdk's ${folder}/, skipped`);
    continue;
  }
  const text = fs.readFileSync(from, "utf8");
  if (!launcher.from && /\bbun\b/.test(text) && !/\bnode\b/.test(text)) {
    fail(`${from} runs bun, not node; pin an sdk whose launchers use node`);
  }
  const to = path.join(binDir, launcher.name);
  fs.rmSync(to, { force: true }); // a previous copy may be read-only
  fs.copyFileSync(from, to); // the module cache is read-only: copy, then make executable
  fs.chmodSync(to, 0o755);
  stamps[launcher.name] = stampOf(launcher);
  log(`copied ${launcher.name} from the sdk module`);
}

saveStamps();
log(`done in ${Math.round((Date.now() - started) / 1000)}s: ${Object.keys(stamps).join(", ")}`);
process.stdout.write(`${binDir}\n`);
