// The real Pulumi CLI, run without a person: a stack in a file backend with a passphrase secrets provider, its
// PULUMI_HOME and temp folder of its own, a program directory with this package installed from its tarball, and the
// project's emulator as OMS. Every command is a step: its exit code, the OMS calls it caused, its time, and a secrets
// audit of everything it printed and everything it left on disk.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OmsEmulator } from "../../../emulator/oms-emulator";
import { REPO } from "../../support/packed-program";

/** The folder of the `pulumi` built by `npm run cli:install` (or found on PATH); built once, then reused. */
export function pulumiDir(): string {
  const given = process.env.OMS_SYNC_PULUMI_DIR;
  if (given) return given;
  const out = execFileSync(process.execPath, [path.join(REPO, "tools", "cli-install.mjs")], {
    cwd: REPO,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const dir = out.trim().split("\n").pop()!;
  process.env.OMS_SYNC_PULUMI_DIR = dir;
  return dir;
}

/**
 * The folder of the older CLI the pinned build makes for policy packs (`policy/` in the pinned folder): the Node.js
 * language host the module proxy serves predates the RunPlugin call that CLIs from 2026 on run packs through.
 */
export function policyCliDir(): string {
  return process.env.OMS_SYNC_POLICY_PULUMI_DIR ?? path.join(pulumiDir(), "policy");
}

/**
 * The folder of the CLI the pinned build makes for `pulumi package gen-sdk` (`sdkgen/` in the pinned folder): the
 * last CLI that generates SDKs itself, since the language hosts later CLIs hand that to are not served here.
 */
export function sdkgenCliDir(): string {
  return process.env.OMS_SYNC_SDKGEN_PULUMI_DIR ?? path.join(pulumiDir(), "sdkgen");
}

/** What `npm run plugin:pack` writes: a tarball per platform and SHA256SUMS, in one folder. */
export interface PluginRelease {
  /** The folder: the tarballs and SHA256SUMS, as a release's downloads. */
  folder: string;
  version: string;
  /** This machine's tarball (the executable runs here). */
  tarball: string;
  /** Its SHA-256, as SHA256SUMS gives it. */
  sha256: string;
  /** SHA256SUMS: tarball name → SHA-256. */
  sums: Record<string, string>;
}

/**
 * The tarballs `npm run plugin:pack` writes (an unchanged build is reused, so each test file may ask), or those in
 * OMS_SYNC_PLUGIN_RELEASE_DIR when set (a release's downloads made elsewhere).
 */
export function pluginRelease(): PluginRelease {
  const folder =
    process.env.OMS_SYNC_PLUGIN_RELEASE_DIR ??
    execFileSync(process.execPath, [path.join(REPO, "tools", "plugin-pack.mjs")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .pop()!;
  const version = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;
  const sums = Object.fromEntries(
    fs
      .readFileSync(path.join(folder, "SHA256SUMS"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).reverse() as [string, string]),
  );
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as "x64" | "arm64"];
  const name = `pulumi-resource-oms-v${version}-${process.platform}-${arch}.tar.gz`;
  return { folder, version, tarball: path.join(folder, name), sha256: sums[name], sums };
}

/** The version `pulumi version` prints, e.g. `v3.276.0`. */
export function pulumiVersion(): string {
  return execFileSync(path.join(pulumiDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
}

/** One command's record, for the table every CLI test file prints at its end. */
export interface Step {
  label: string;
  command: string;
  exit: number | null;
  /** OMS operations the emulator saw during the command, by operation. */
  calls: Record<string, number>;
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Every form in which a secret could show: raw, URL-encoded (both cases and `+`), JSON-escaped, base64. */
export function formsOf(secret: string): string[] {
  const url = encodeURIComponent(secret);
  return [
    secret,
    url,
    url.toLowerCase(),
    url.replace(/%20/g, "+"),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"),
  ];
}

const MUTATING = ["create", "start", "stop", "delete"];

export interface CliStackOptions {
  /** The program directory (Pulumi.yaml, the program, node_modules). */
  programDir: string;
  emulator: OmsEmulator;
  stack?: string;
  /** Another CLI's folder, searched before the pinned one (its language hosts and launchers come from both). */
  cliDir?: string;
  /**
   * More of the environment, for a language host's tools (the Go host's `go`, say); a key set to undefined is removed
   * (`PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION`, to let the CLI download plugins).
   */
  env?: NodeJS.ProcessEnv;
  /** The folders on PATH after the CLI's own; by default the test's PATH. `[]`: the CLI's folders alone. */
  path?: string[];
}

/** A stack of one program, driven through the real CLI. */
export class CliStack {
  readonly steps: Step[] = [];
  /** Secrets planted for this stack: none may show anywhere. */
  readonly planted = new Set<string>();
  readonly root: string;
  readonly home: string;
  readonly backend: string;
  readonly tmp: string;
  private readonly env: NodeJS.ProcessEnv;
  /** The `pulumi` this stack runs. */
  readonly pulumi: string;

  constructor(private readonly options: CliStackOptions) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sync-cli-"));
    this.home = path.join(this.root, "home");
    this.backend = path.join(this.root, "backend");
    this.tmp = path.join(this.root, "tmp");
    for (const dir of [this.home, this.backend, this.tmp]) fs.mkdirSync(dir);
    const bins = [options.cliDir, pulumiDir()].filter((dir): dir is string => dir !== undefined);
    this.pulumi = path.join(bins[0], "pulumi");
    this.env = {
      ...process.env,
      PATH: [...bins, ...(options.path ?? [process.env.PATH ?? ""])].join(path.delimiter),
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: "cli-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      TMPDIR: this.tmp,
      ...options.env,
    };
    // The test's own environment must not hand the program keys the config does not.
    for (const key of Object.keys(this.env)) if (key.startsWith("HW_")) delete this.env[key];
    for (const [key, value] of Object.entries(this.env)) if (value === undefined) delete this.env[key];
  }

  /** Where `node` resolves on the PATH this stack's commands get (as a shell finds it); undefined when nowhere. */
  nodeOnPath(): string | undefined {
    const found = spawnSync("/bin/sh", ["-c", "command -v node"], { env: { PATH: this.env.PATH }, encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
  }

  get dir(): string {
    return this.options.programDir;
  }

  /** `pulumi stack init` with the stack name, then `config` (keys ending in a secret marker set with --secret). */
  async init(config: Record<string, string>, secrets: string[]): Promise<void> {
    await this.must("stack init", ["stack", "init", this.options.stack ?? "dev"]);
    for (const [key, value] of Object.entries(config)) {
      await this.setConfig(key, value, secrets.includes(key));
    }
  }

  /** `pulumi config set [--secret] key value`; a secret value is planted for the audit. */
  async setConfig(key: string, value: string, secret: boolean): Promise<void> {
    if (secret) this.planted.add(value);
    await this.must(`config set ${key}`, ["config", "set", ...(secret ? ["--secret"] : []), key, "--", value]);
  }

  /** Runs `pulumi <args>` to its end; a step. `label` names it in the table. */
  async run(label: string, args: string[], options: { input?: string } = {}): Promise<Step> {
    const child = this.spawn(args);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
    return this.finish(label, args, child);
  }

  /** As {@link run}, and fails the test with the command's output when it exits non-zero. */
  async must(label: string, args: string[]): Promise<Step> {
    const step = await this.run(label, args);
    if (step.exit !== 0) {
      throw new Error(`${step.command} exited ${step.exit}:\n${step.stdout}\n${step.stderr}`);
    }
    return step;
  }

  /** Starts `pulumi <args>` and returns it unfinished, for a test that interrupts it; end it with {@link finish}. */
  spawn(args: string[]): ChildProcess {
    this.mark = { began: Date.now(), from: this.options.emulator.requests.length };
    return spawn(this.pulumi, ["--non-interactive", "--color", "never", ...args], {
      cwd: this.dir,
      env: this.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  private mark = { began: 0, from: 0 };

  /** Waits for a spawned command to end and records it as a step, with the secrets audit. */
  async finish(label: string, args: string[], child: ChildProcess): Promise<Step> {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exit = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const calls: Record<string, number> = {};
    for (const r of this.options.emulator.requests.slice(this.mark.from)) {
      const op = r.operation ?? "other";
      calls[op] = (calls[op] ?? 0) + 1;
    }
    const step: Step = {
      label,
      // A value set with --secret is never printed, not even in this table.
      command: `pulumi ${args.map((a) => (this.planted.has(a) ? "[secret]" : a)).join(" ")}`,
      exit,
      calls,
      seconds: (Date.now() - this.mark.began) / 1000,
      stdout,
      stderr,
    };
    this.steps.push(step);
    this.audit(step);
    return step;
  }

  /** The state as `pulumi stack export` prints it (secrets as ciphertext), parsed. */
  async exported(): Promise<StackExport> {
    const step = await this.must("stack export", ["stack", "export"]);
    return JSON.parse(step.stdout) as StackExport;
  }

  /** The resource of `type` in the exported state, if any. */
  async resource(type: string, name?: string): Promise<ExportedResource | undefined> {
    const state = await this.exported();
    return state.deployment.resources?.find((r) => r.type === type && (!name || r.urn.endsWith(`::${name}`)));
  }

  /**
   * No planted secret, in any form, in the step's output, in the backend's files (state, history, backups), in
   * PULUMI_HOME or in the CLI's temp folder (its logs). Throws naming the place.
   */
  audit(step?: Step): void {
    const places: [string, string][] = [];
    if (step) places.push([`${step.command} (output)`, `${step.stdout}\n${step.stderr}`]);
    for (const dir of [this.backend, this.home, this.tmp]) {
      for (const file of filesUnder(dir)) places.push([path.relative(this.root, file), readText(file)]);
    }
    for (const secret of this.planted) {
      for (const form of formsOf(secret)) {
        const found = places.find(([, text]) => text.includes(form));
        if (found) throw new Error(`a planted secret (${secret.slice(0, 6)}…) shows in ${found[0]}`);
      }
    }
  }

  /** Mutating OMS calls of a step. */
  static mutations(step: Step): Record<string, number> {
    return Object.fromEntries(Object.entries(step.calls).filter(([op]) => MUTATING.includes(op)));
  }

  /** The steps as a table: command, exit code, OMS calls by operation, seconds. */
  table(title: string): string {
    const rows = this.steps.map((s) => {
      const calls =
        Object.entries(s.calls)
          .map(([op, n]) => `${op} ${n}`)
          .join(", ") || "none";
      return `| ${s.label} | \`${s.command}\` | ${s.exit} | ${calls} | ${s.seconds.toFixed(1)} |`;
    });
    return [`\n${title}`, "| step | command | exit | OMS calls | s |", "|---|---|---|---|---|", ...rows, ""].join("\n");
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The property lines of one resource's block in `pulumi preview --diff` output (`~ state`, `+ x`, `- y`): the block
 * starts at the line naming the resource's URN and ends where the indentation does. Stack outputs are not included.
 */
export function changedProperties(output: string, name: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.includes(`::${name}]`));
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    // The block's lines are indented deeper than the stack's Outputs that may follow it with no blank line.
    if (line.trim() === "" || !/^ {4}/.test(line)) break;
    const match = /^\s*([~+-]) (\w+)\s*:/.exec(line);
    if (match) block.push(`${match[1]} ${match[2]}`);
  }
  return block;
}

export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
  retainOnDelete?: boolean;
  initErrors?: string[];
}

export interface StackExport {
  deployment: { resources?: ExportedResource[]; pending_operations?: unknown[] };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Plugins and language hosts are binaries of Pulumi's, not state.
      if (entry.name === "plugins" || entry.name === "node_modules") continue;
      out.push(...filesUnder(full));
    } else if (entry.isFile()) out.push(full);
  }
  return out;
}

function readText(file: string): string {
  const buffer = fs.readFileSync(file);
  // A gzipped history or backup file is read as its contents.
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("zlib") as typeof import("zlib")).gunzipSync(buffer).toString("utf8");
  }
  return buffer.toString("utf8");
}
