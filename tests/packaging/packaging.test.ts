// The package as someone outside this repository gets it: what `npm pack` ships, an example copied out of the
// checkout, and the emulator command from the installed tarball.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { REPO } from "../support/packed-program";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  scripts: Record<string, string>;
  license: string;
  repository?: unknown;
  bugs?: unknown;
  homepage?: string;
};
let root: string;
let tarball: string;
let example: string;

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "oms-sync-packaging-"));
  const name = npm(["pack", "--silent", "--pack-destination", root], REPO).trim().split("\n").pop()!;
  tarball = path.join(root, name);
  // The sync-task example, copied out of the checkout, with the tarball saved next to it as its README says.
  example = path.join(root, "sync-task");
  fs.cpSync(path.join(REPO, "examples", "sync-task"), example, { recursive: true });
  fs.copyFileSync(tarball, path.join(example, "pulumi-oms-sync.tgz"));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline"], example);
}, 240_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships dist, README.md, LICENSE and CHANGELOG.md, and nothing else", () => {
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    const files = listing.map((f) => f.replace(/^package\//, ""));
    const outside = files.filter((f) => !/^dist\/(provider|emulator)\/.+\.(js|d\.ts)$/.test(f));
    expect(outside.sort()).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
    expect(files).toContain("dist/provider/index.js");
    expect(files).toContain("dist/emulator/index.js");
    expect(files).toContain("dist/emulator/cli.js");
    expect(fs.readFileSync(path.join(REPO, "LICENSE"), "utf8")).toContain("Apache License");
    expect(manifest.license).toBe("Apache-2.0");
    expect([manifest.repository, manifest.bugs, manifest.homepage].every(Boolean)).toBe(true);
  });

  it("states one support range: the compatibility run tests the oldest @pulumi/pulumi the peer range allows", () => {
    const oldest = /^\^(\d+\.\d+\.\d+)$/.exec(manifest.peerDependencies["@pulumi/pulumi"])![1];
    expect(manifest.scripts["test:compat"]).toContain(`OMS_SYNC_PULUMI_VERSION=${oldest}`);
    const nodeMajor = Number(process.versions.node.split(".")[0]);
    expect(manifest.engines.node).toBe(">=20");
    expect(nodeMajor).toBeGreaterThanOrEqual(20);
    expect(fs.readFileSync(path.join(REPO, "README.md"), "utf8")).toContain(`\`@pulumi/pulumi\` ${oldest}`);
  });
});

describe("an install from git", () => {
  it("builds dist through the prepare script, as a git dependency needs", () => {
    const dir = path.join(root, "from-git");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "from-git", private: true }));
    // The committed state of this checkout, cloned by npm as any git dependency is.
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", `git+file://${REPO}`], dir);
    const installed = path.join(dir, "node_modules", "pulumi-oms-sync");
    expect(fs.existsSync(path.join(installed, "dist", "provider", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist", "emulator", "cli.js"))).toBe(true);
    expect(fs.readdirSync(installed).sort()).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "dist", "package.json"]);
  }, 240_000);
});

describe("an example copied out of the repository", () => {
  it("installs the tarball and type-checks", () => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(example, "node_modules", "pulumi-oms-sync", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe(manifest.version);
    execFileSync(
      process.execPath,
      [path.join(example, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", example],
      {
        encoding: "utf8",
      },
    );
  });

  it("ships no ambient declaration: no packed .d.ts file declares a module (none changes axios's types)", () => {
    const dir = fs.mkdtempSync(path.join(root, "unpacked-"));
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    const declarations = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
      .split("\n")
      .filter((f) => f.endsWith(".d.ts"));
    expect(declarations.length).toBeGreaterThan(10);
    const ambient = declarations.filter((f) =>
      /declare\s+(module|global)\b/.test(fs.readFileSync(path.join(dir, f), "utf8")),
    );
    expect(ambient).toEqual([]);
  });

  it("exports the policies as pulumi-oms-sync/policy, loadable without @pulumi/policy installed", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        `let policy = "absent"; try { require.resolve("@pulumi/policy"); policy = "present"; } catch {}
         const p = require("pulumi-oms-sync/policy");
         console.log(policy, p.omsPolicies.length, p.omsPolicies.map((x) => x.name).join(","));`,
      ],
      { cwd: example, encoding: "utf8" },
    );
    expect(out.trim()).toMatch(/^absent 9 oms-one-manager-per-task,.*,oms-events-need-a-running-task$/);
  });

  it("installs the policy pack folder with the tarball and type-checks it", () => {
    const pack = path.join(root, "policy-pack");
    fs.cpSync(path.join(REPO, "policy-pack"), pack, { recursive: true });
    fs.copyFileSync(tarball, path.join(pack, "pulumi-oms-sync.tgz"));
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline"], pack);
    execFileSync(
      process.execPath,
      [path.join(pack, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", pack],
      {
        encoding: "utf8",
      },
    );
  }, 120_000);

  it("keeps test hooks out of the main entry, in pulumi-oms-sync/testing", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        `const main = require("pulumi-oms-sync"); const t = require("pulumi-oms-sync/testing");
         console.log(["tuning" in main, "useConfig" in main, "tuning" in main.lifecycle, "useConfig" in main.lifecycle,
           typeof t.tuning.pollScale, typeof t.useConfig, typeof main.lifecycle.read, typeof main.taskLifecycle.read].join(" "))`,
      ],
      { cwd: example, encoding: "utf8" },
    );
    expect(out.trim()).toBe("false false false false number function function function");
  });

  it("imports the emulator as pulumi-oms-sync/emulator", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        'const e = require("pulumi-oms-sync/emulator"); console.log(typeof e.OmsEmulator.start, e.EMULATOR_PROJECT_ID)',
      ],
      { cwd: example, encoding: "utf8" },
    );
    expect(out.trim()).toBe("function 0emulatedproject0000000000000000");
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Runs `command` in the example, waits until it prints that it listens, then SIGTERMs it; returns what it printed. */
async function runUntilListening(command: string, args: string[], port: number) {
  const child = spawn(command, args, { cwd: example, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes("Ctrl-C stops it.") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(out).toContain(`listening on http://127.0.0.1:${port}`);
  expect(await portOpen(port)).toBe(true);
  child.kill("SIGTERM");
  const code = await exited;
  // Whatever wrapper ran it, the emulator itself lets go of the port.
  const released = Date.now() + 5_000;
  while ((await portOpen(port)) && Date.now() < released) await new Promise((r) => setTimeout(r, 50));
  return { code, out, stillOpen: await portOpen(port) };
}

describe("the oms-emulator command from the installed tarball", () => {
  it("npx oms-emulator --port=N listens on N and stops on SIGTERM", async () => {
    const port = await freePort();
    const run = await runUntilListening("npx", ["--no-install", "oms-emulator", `--port=${port}`], port);
    expect(run.stillOpen).toBe(false);
  }, 60_000);

  it("the bin itself exits 0 on SIGTERM, and a fixed --task-id and --token are honoured", async () => {
    const port = await freePort();
    const bin = path.join(example, "node_modules", ".bin", "oms-emulator");
    const run = await runUntilListening(
      bin,
      ["--port", String(port), "--task-id", "fixed-task-1", "--token", "tok-1"],
      port,
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain("pulumi config set syncTaskId fixed-task-1");
    expect(run.out).toContain("pulumi config set --secret oms:token tok-1");
    expect(run.out).toContain("OMS emulator stopped");
  }, 60_000);
});
