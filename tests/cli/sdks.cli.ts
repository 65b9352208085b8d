// The schema under Pulumi's own tools, and the SDKs they generate from it in use: `pulumi schema check` (the pinned
// CLI binds schema.json and validates it against the metaschema its pkg module holds), `pulumi package gen-sdk` for
// python, go, nodejs and dotnet, the generated Python compiled, and the generated Go SDK built into a Go program that
// `pulumi up` runs against the emulator through the Go language host; then the Go program and `go mod` commands of
// docs/languages.md, exactly as printed. (The page's Python program runs in python.cli.ts.)
import { execFile, execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../emulator/oms-emulator";
import { seedAwsTask, startEmulator } from "../support/fixture";
import { REPO } from "../support/packed-program";
import { changedProperties, CliStack, pluginRelease, pulumiDir, pulumiVersion, sdkgenCliDir } from "./support/cli";
import { omsConfig, SECRET_CONFIG } from "./support/program";
import { expectKeysOnlyAsCiphertext, expectRefreshReadsOnly } from "./support/plugin-program";

const SCHEMA = path.join(REPO, "schema.json");
const GO_PROGRAM = path.join(REPO, "tests", "cli", "programs", "go");
/** The Go import path the schema gives the Go SDK, as a module of its own (see tests/cli/programs/go/go.mod). */
const GO_SDK_MODULE = "github.com/pulumi-oms-sync/pulumi-oms-sync/sdk";
const LANGUAGES = ["python", "go", "nodejs", "dotnet"] as const;

/** The files each generated SDK must have: the package, both resources, the function, the provider, the config. */
const EXPECTED: Record<(typeof LANGUAGES)[number], string[]> = {
  python: [
    "python/setup.py",
    "python/pulumi_oms_sync/__init__.py",
    "python/pulumi_oms_sync/sync_task.py",
    "python/pulumi_oms_sync/sync_task_state.py",
    "python/pulumi_oms_sync/get_sync_task.py",
    "python/pulumi_oms_sync/provider.py",
    "python/pulumi_oms_sync/config/vars.py",
  ],
  go: [
    "go/oms/syncTask.go",
    "go/oms/syncTaskState.go",
    "go/oms/getSyncTask.go",
    "go/oms/provider.go",
    "go/oms/config/config.go",
  ],
  nodejs: [
    "nodejs/package.json",
    "nodejs/syncTask.ts",
    "nodejs/syncTaskState.ts",
    "nodejs/getSyncTask.ts",
    "nodejs/provider.ts",
    "nodejs/config/vars.ts",
  ],
  dotnet: [
    "dotnet/Pulumi.OmsSync.csproj",
    "dotnet/SyncTask.cs",
    "dotnet/SyncTaskState.cs",
    "dotnet/GetSyncTask.cs",
    "dotnet/Provider.cs",
    "dotnet/Config/Config.cs",
  ],
};

function findGo(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "go"))) return path.join(dir, "go");
  }
  if (fs.existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error("these tests need Go (on PATH or at /usr/local/go), as `npm run cli:install` does");
}

const GO = findGo();
/** What the Go host's `go build` runs with: this machine's Go, the module's go.sum as the pin, no workspace. */
const GO_ENV: NodeJS.ProcessEnv = {
  PATH: [path.dirname(GO), process.env.PATH ?? ""].join(path.delimiter),
  GOFLAGS: "-mod=readonly",
  GOTOOLCHAIN: "local",
  GOWORK: "off",
  CGO_ENABLED: "0",
};

let emulator: OmsEmulator;
let out: string;
let genSchema: string;
let logoServer: http.Server;
const warnings: Record<string, string> = {};

beforeAll(async () => {
  pulumiDir(); // builds the pinned CLIs first, once
  emulator = await startEmulator();
  out = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sdks-"));
  // The dotnet generator of gen-sdk downloads the package's logo (logoUrl, else one on GitHub) into the SDK, and no
  // download site is reachable here: the copy it reads names a logo on loopback. Nothing else differs.
  logoServer = http.createServer((_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(PNG));
  await new Promise<void>((resolve) => logoServer.listen(0, "127.0.0.1", resolve));
  const { port } = logoServer.address() as AddressInfo;
  const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as Record<string, unknown>;
  expect(schema.logoUrl).toBeUndefined();
  genSchema = path.join(out, "schema.json");
  fs.writeFileSync(genSchema, JSON.stringify({ ...schema, logoUrl: `http://127.0.0.1:${port}/logo.png` }, null, 2));
}, 600_000);

afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => logoServer?.close(resolve));
  if (Object.keys(warnings).length) {
    process.stdout.write(`\ngen-sdk warnings:\n${Object.values(warnings).join("\n")}\n`);
  }
  fs.rmSync(out, { recursive: true, force: true });
});

/**
 * Runs a pinned CLI outside any project, in a PULUMI_HOME of its own; asynchronously, so that the logo server in
 * this process can answer it.
 */
function pulumi(cliDir: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const home = path.join(out, "home");
  fs.mkdirSync(home, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      path.join(cliDir, "pulumi"),
      args,
      {
        cwd: out,
        encoding: "utf8",
        timeout: 300_000,
        env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1" },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

describe("the schema under Pulumi's tools", () => {
  it("pulumi schema check (the pinned CLI) binds schema.json and validates it against its metaschema", async () => {
    const ok = await pulumi(pulumiDir(), ["schema", "check", SCHEMA]);
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: "" });
    // The check is real: one property of an unknown type fails it, naming the property.
    const broken = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
    broken.resources["oms:index:SyncTask"].properties.status.type = "strin";
    const file = path.join(out, "broken-schema.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    const bad = await pulumi(pulumiDir(), ["schema", "check", file]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/status/);
  });

  it.each(LANGUAGES)("pulumi package gen-sdk --language %s writes the SDK", async (language) => {
    const r = await pulumi(sdkgenCliDir(), ["package", "gen-sdk", genSchema, "--language", language, "--out", out]);
    expect({ status: r.status, error: r.stderr.match(/error.*/)?.[0] }).toEqual({ status: 0, error: undefined });
    for (const file of EXPECTED[language]) expect(fs.existsSync(path.join(out, file))).toBe(true);
    if (r.stderr.trim()) warnings[language] = `${language}: ${r.stderr.trim()}`;
  });

  it("the generated SDKs carry the schema's secrets: every SDK marks the credentials and digest outputs secret", () => {
    const go = fs.readFileSync(path.join(out, "go/oms/syncTask.go"), "utf8");
    expect(go).toMatch(/AdditionalSecretOutputs\(\[\]string\{[^}]*"credentials"[^}]*"startKeysDigest"/);
    const python = fs.readFileSync(path.join(out, "python/pulumi_oms_sync/sync_task.py"), "utf8");
    expect(python).toMatch(/additional_secret_outputs=\[[^\]]*"credentials"[^\]]*"startKeysDigest"/);
    const node = fs.readFileSync(path.join(out, "nodejs/syncTask.ts"), "utf8");
    expect(node).toMatch(/additionalSecretOutputs: \[[^\]]*"credentials"[^\]]*"startKeysDigest"/);
    const dotnet = fs.readFileSync(path.join(out, "dotnet/SyncTask.cs"), "utf8");
    expect(dotnet).toMatch(/AdditionalSecretOutputs =\s*\{[^}]*"credentials"[^}]*"startKeysDigest"/);
  });

  it("the generated Python SDK compiles (python3 -m compileall)", () => {
    const r = spawnSync("python3", ["-m", "compileall", "-q", path.join(out, "python")], { encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});

/**
 * Every relative import of the Python package under `root` that names no module of it: `from . import _utilities` in
 * a subpackage, say. `python3 -m compileall` does not look; an import at run time would fail.
 */
const DANGLING_RELATIVE_IMPORTS = `
import ast, os, sys
bad = []
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            base = folder
            for _ in range(node.level - 1):
                base = os.path.dirname(base)
            for target in [node.module] if node.module else [a.name for a in node.names]:
                module = os.path.join(base, *target.split("."))
                if not (os.path.isfile(module + ".py") or os.path.isfile(os.path.join(module, "__init__.py"))):
                    bad.append("%s:%d: from %s%s import" % (os.path.relpath(path, sys.argv[1]), node.lineno, "." * node.level, node.module or ""))
print(chr(10).join(bad))
`;

describe("the SDKs the pinned CLI's language hosts would write (their generators, pkg v3.276.0)", () => {
  const current = () => path.join(out, "current");

  beforeAll(() => fs.mkdirSync(current(), { recursive: true }));

  it.each(["go", "nodejs", "python"])("oms-sdkgen %s binds the schema and writes the SDK", (language) => {
    const r = spawnSync(path.join(pulumiDir(), "oms-sdkgen"), [SCHEMA, language, current()], { encoding: "utf8" });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toMatch(/^\d+ files in /);
  });

  it("each SDK carries the schema's pluginDownloadURL: in the plugin's manifest and in every resource's options", () => {
    const url = JSON.parse(fs.readFileSync(SCHEMA, "utf8")).pluginDownloadURL as string;
    expect(url).toBe("github://api.github.com/pulumi-oms-sync/pulumi-oms-sync");
    const json = (file: string) => JSON.parse(fs.readFileSync(path.join(current(), file), "utf8"));
    const text = (file: string) => fs.readFileSync(path.join(current(), file), "utf8");
    expect(json("go/oms/pulumi-plugin.json").server).toBe(url);
    expect(json("python/pulumi_oms_sync/pulumi-plugin.json").server).toBe(url);
    expect(json("nodejs/package.json").pulumi.server).toBe(url);
    expect(text("go/oms/internal/pulumiUtilities.go")).toContain(`pulumi.PluginDownloadURL("${url}")`);
    expect(text("nodejs/utilities.ts")).toContain(`pluginDownloadURL: "${url}"`);
    expect(text("python/pulumi_oms_sync/_utilities.py")).toMatch(
      new RegExp(`def get_plugin_download_url\\(\\):\\s+return "${url.replace(/[.]/g, "\\.")}"`),
    );
  });

  it("the Node.js SDK type-checks (tsc --noEmit) against @pulumi/pulumi", () => {
    const sdk = path.join(current(), "nodejs");
    for (const dep of ["@pulumi/pulumi", "@types/node"]) {
      fs.mkdirSync(path.dirname(path.join(sdk, "node_modules", dep)), { recursive: true });
      fs.symlinkSync(path.join(REPO, "node_modules", dep), path.join(sdk, "node_modules", dep), "dir");
    }
    const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", sdk, "--noEmit"], { encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: "" });
  });

  it("the Python SDK compiles, and each relative import names a module of the package", () => {
    const sdk = path.join(current(), "python");
    const compiled = spawnSync("python3", ["-m", "compileall", "-q", sdk], { encoding: "utf8" });
    expect({ status: compiled.status, stdout: compiled.stdout }).toEqual({ status: 0, stdout: "" });
    const imports = spawnSync("python3", ["-c", DANGLING_RELATIVE_IMPORTS, sdk], { encoding: "utf8" });
    expect({ status: imports.status, dangling: imports.stdout.trim() }).toEqual({ status: 0, dangling: "" });
  });

  it("the Go SDK builds with the Go program (go vet)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-go-current-"));
    try {
      goProgramIn(dir, path.join(current(), "go"));
      const r = spawnSync(GO, ["vet", "./..."], { cwd: dir, env: { ...process.env, ...GO_ENV }, encoding: "utf8" });
      // With an empty module cache, go first says what it downloads; anything else is vet's.
      const findings = r.stderr.split("\n").filter((line) => line && !line.startsWith("go: downloading "));
      expect({ status: r.status, findings }).toEqual({ status: 0, findings: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000); // the first Go build on a machine compiles sdk v3.276.0 and its dependencies: minutes
});

/** The Go program (tests/cli/programs/go) in `dir`, with the Go SDK at `sdkGo` as the module its go.mod replaces. */
function goProgramIn(dir: string, sdkGo: string): void {
  for (const file of ["main.go", "go.mod", "go.sum"])
    fs.copyFileSync(path.join(GO_PROGRAM, file), path.join(dir, file));
  fs.cpSync(sdkGo, path.join(dir, "sdk", "go"), { recursive: true });
  const sdkVersion = /github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/.exec(
    fs.readFileSync(path.join(GO_PROGRAM, "go.mod"), "utf8"),
  )![1];
  fs.writeFileSync(
    path.join(dir, "sdk", "go.mod"),
    `module ${GO_SDK_MODULE}\n\ngo 1.26.6\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${sdkVersion}\n`,
  );
}

describe("a Go program on the generated Go SDK, under the real CLI", () => {
  let stack: CliStack;
  let dir: string;
  let mirror: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(out, "go/oms/syncTask.go"))) {
      const r = await pulumi(sdkgenCliDir(), ["package", "gen-sdk", genSchema, "--language", "go", "--out", out]);
      expect(r.status).toBe(0);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-go-"));
    goProgramIn(dir, path.join(out, "go"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: oms-go\nruntime: go\n");
    // The SDK builds (and the Go host's own build then finds it in the cache).
    execFileSync(GO, ["build", "./..."], { cwd: dir, env: { ...process.env, ...GO_ENV }, stdio: "inherit" });
    mirror = seedAwsTask(emulator, "mirror").id;
    stack = new CliStack({ programDir: dir, emulator, env: GO_ENV });
    const { tarball, version } = pluginRelease();
    await stack.must("plugin install", ["plugin", "install", "resource", "oms", version, "--file", tarball]);
    await stack.init({ ...omsConfig(emulator.url), mirrorTaskId: mirror }, SECRET_CONFIG);
  }, 900_000);

  afterAll(() => {
    if (stack) process.stdout.write(stack.table(`A Go program on the generated SDK, ${pulumiVersion()}`));
    stack?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const task = (bucket: string) => emulator.allTasks().find((t) => t.srcBucket === bucket);

  it("up creates the SyncTask and pauses the existing task, through the Go host and the oms plugin", async () => {
    const step = await stack.must("up (create)", ["up", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({ create: 1, stop: 1 });
    expect(task("go-src")?.status).toBe("SYNCHRONIZING");
    expect(task("mirror-src")?.status).toBe("STOPPED");
    const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
    expect(outputs).toEqual({ syncTaskId: task("go-src")!.id, status: "SYNCHRONIZING" });
  });

  it("a preview with nothing changed shows no change and makes no mutating call", async () => {
    const step = await stack.must("preview (no change)", ["preview", "--diff"]);
    expect(CliStack.mutations(step)).toEqual({});
    expect(step.stdout).toMatch(/3 unchanged/);
  });

  it("a flip previews as a change of state, and up pauses the task", async () => {
    await stack.setConfig("state", "paused", false);
    const preview = await stack.must("preview --diff (paused)", ["preview", "--diff"]);
    expect(changedProperties(preview.stdout, "logs")).toEqual(["~ state"]);
    const up = await stack.must("up (paused)", ["up", "--yes"]);
    expect(CliStack.mutations(up)).toEqual({ stop: 1 });
    expect(task("go-src")?.status).toBe("STOPPED");
  });

  it("refresh reads both tasks and changes nothing", () => expectRefreshReadsOnly(stack, 2));

  it("the state holds the keys only as ciphertext", () => expectKeysOnlyAsCiphertext(stack));

  it("destroy deletes the task the program created and leaves the other task as it is", async () => {
    const step = await stack.must("destroy", ["destroy", "--yes"]);
    expect(CliStack.mutations(step)).toEqual({ delete: 1 });
    expect(task("go-src")).toBeUndefined();
    expect(task("mirror-src")?.status).toBe("STOPPED");
  });
});

/** A 1×1 PNG: what the logo server answers. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** A fenced block of docs/languages.md: the first ```<lang> block after the line that starts with `after`. */
function languagesPageBlock(after: string, lang: string): string {
  const page = fs.readFileSync(path.join(REPO, "docs", "languages.md"), "utf8");
  const from = page.indexOf(`\n${after}`);
  const match = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, "m").exec(page.slice(from));
  if (from < 0 || !match) throw new Error(`docs/languages.md has no \`\`\`${lang} block after "${after}"`);
  return match[1];
}

describe("the Go program of docs/languages.md, as printed, with its go mod commands", () => {
  let stack: CliStack;
  let dir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(out, "go/oms/syncTask.go"))) {
      const r = await pulumi(sdkgenCliDir(), ["package", "gen-sdk", genSchema, "--language", "go", "--out", out]);
      expect(r.status).toBe(0);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-go-readme-"));
    fs.cpSync(path.join(out, "go"), path.join(dir, "sdk", "go"), { recursive: true });
    fs.writeFileSync(path.join(dir, "main.go"), languagesPageBlock("Go: the SDK's folder becomes a module", "go"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: oms-go-readme\nruntime: go\n");
    // The page's commands, line by line as a user pastes them, in the program's folder.
    const commands = languagesPageBlock("Go: the SDK's folder becomes a module", "sh");
    execFileSync("sh", ["-ec", commands], { cwd: dir, env: { ...process.env, ...GO_ENV }, stdio: "inherit" });
    expect(fs.readFileSync(path.join(dir, "sdk", "go.mod"), "utf8")).toMatch(
      new RegExp(`^module ${GO_SDK_MODULE.replace(/\./g, "\\.")}$`, "m"),
    );
    stack = new CliStack({ programDir: dir, emulator, env: GO_ENV });
    const { tarball, version } = pluginRelease();
    await stack.must("plugin install", ["plugin", "install", "resource", "oms", version, "--file", tarball]);
    await stack.init(omsConfig(emulator.url), SECRET_CONFIG);
  }, 900_000);

  afterAll(() => {
    if (stack) process.stdout.write(stack.table(`The Go program of docs/languages.md, ${pulumiVersion()}`));
    stack?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const task = () => emulator.allTasks().find((t) => t.srcBucket === "app-logs");

  it("up creates the page's SyncTask; a preview then shows no change; destroy deletes it", async () => {
    const up = await stack.must("up (create)", ["up", "--yes"]);
    expect(CliStack.mutations(up)).toEqual({ create: 1 });
    expect(task()?.status).toBe("SYNCHRONIZING");
    const outputs = JSON.parse((await stack.must("stack output", ["stack", "output", "--json"])).stdout);
    expect(outputs).toEqual({ syncTaskId: task()!.id });
    const preview = await stack.must("preview (no change)", ["preview", "--diff"]);
    expect(CliStack.mutations(preview)).toEqual({});
    expect(preview.stdout).toMatch(/2 unchanged/);
    const destroy = await stack.must("destroy", ["destroy", "--yes"]);
    expect(CliStack.mutations(destroy)).toEqual({ stop: 1, delete: 1 });
    expect(task()).toBeUndefined();
  });
});
