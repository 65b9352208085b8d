// The executables `npm run plugin:pack` builds: one Node.js single executable application per platform, packed at
// the root of its tarball with SHA256SUMS beside. Each answers as the engine asks (its version, the committed schema)
// with no Node.js anywhere: this machine's run with an empty PATH, linux-arm64's under qemu-user.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pluginAnswers } from "../support/plugin-answers";
import { REPO } from "../support/packed-program";
import { pluginRelease, type PluginRelease } from "./support/cli";

/** The ELF machine numbers of the targets (e_machine). */
const MACHINE = { amd64: 62, arm64: 183 };
/** What runs a linux-arm64 binary here: Debian's qemu-user, with the arm64 C and C++ runtimes of its cross packages. */
const QEMU = "/usr/bin/qemu-aarch64";
const ARM64_ROOT = "/usr/aarch64-linux-gnu";

let release: PluginRelease;
let unpacked: string;
const committed = () => JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8"));

beforeAll(() => {
  release = pluginRelease();
  unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "oms-executables-"));
  for (const arch of Object.keys(MACHINE)) {
    const into = path.join(unpacked, arch);
    fs.mkdirSync(into);
    execFileSync("tar", ["-xzf", path.join(release.folder, tarballName(arch)), "-C", into]);
  }
}, 600_000);

afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));

const tarballName = (arch: string) => `pulumi-resource-oms-v${release.version}-linux-${arch}.tar.gz`;

/** Starts `command` with `args` and an environment of `env` alone; its version, its schema and its stderr. */
const answers = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
  pluginAnswers(command, args, { cwd: os.tmpdir(), env, name: command, executable: true });

it("writes a tarball per target, named for version, OS and architecture, and SHA256SUMS that checks them", () => {
  const names = fs.readdirSync(release.folder).sort();
  expect(names).toEqual(["SHA256SUMS", tarballName("amd64"), tarballName("arm64")]);
  const checked = execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], {
    cwd: release.folder,
    encoding: "utf8",
  });
  expect(checked.trim().split("\n").sort()).toEqual([`${tarballName("amd64")}: OK`, `${tarballName("arm64")}: OK`]);
});

it.each(Object.entries(MACHINE))(
  "linux-%s holds the executable at its root (an ELF for that CPU), the licences, and nothing needing Node.js",
  (arch, machine) => {
    const files = fs.readdirSync(path.join(unpacked, arch)).sort();
    expect(files).toEqual(["LICENSE", "THIRD-PARTY-NOTICES.txt", "pulumi-resource-oms"]);
    const executable = path.join(unpacked, arch, "pulumi-resource-oms");
    expect(fs.statSync(executable).mode & 0o111).toBeTruthy();
    const head = Buffer.alloc(20);
    const fd = fs.openSync(executable, "r");
    fs.readSync(fd, head, 0, 20, 0);
    fs.closeSync(fd);
    expect(head.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(head.readUInt16LE(18)).toBe(machine);
    // Node.js's licence goes with the Node.js inside.
    expect(fs.readFileSync(path.join(unpacked, arch, "THIRD-PARTY-NOTICES.txt"), "utf8")).toMatch(
      /Node\.js is licensed/,
    );
  },
);

it("this machine's executable starts with an empty PATH and answers GetPluginInfo and GetSchema", async () => {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as "x64" | "arm64"];
  const got = await answers(path.join(unpacked, arch, "pulumi-resource-oms"), ["127.0.0.1:1"], {
    PATH: "/nonexistent",
  });
  expect(got.version).toBe(release.version);
  expect(got.schema).toEqual(committed());
  // No experimental-feature warning, nothing else.
  expect(got.stderr).toBe("");
}, 60_000);

it("the linux-arm64 executable, run by qemu-user, answers GetPluginInfo and GetSchema", async () => {
  if (!fs.existsSync(QEMU) || !fs.existsSync(ARM64_ROOT)) {
    throw new Error(
      `${QEMU} or ${ARM64_ROOT} is missing: apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross`,
    );
  }
  const got = await answers(
    QEMU,
    ["-L", ARM64_ROOT, path.join(unpacked, "arm64", "pulumi-resource-oms"), "127.0.0.1:1"],
    {
      PATH: "/nonexistent",
    },
  );
  expect(got.version).toBe(release.version);
  expect(got.schema).toEqual(committed());
  expect(got.stderr).toBe("");
}, 240_000);
