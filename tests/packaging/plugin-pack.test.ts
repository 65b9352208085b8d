// `npm run plugin:pack`, the part that needs no Node.js download: the bundle every executable embeds. Copied alone
// into an empty folder far from any package.json or node_modules, it answers as the engine asks: its version, and
// the committed schema. The executables themselves (built from the registry's Node.js) are tested by
// tests/cli/plugin-executable.cli.ts. And the tool fails with one line naming what and what to do.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pluginAnswers } from "../support/plugin-answers";
import { REPO } from "../support/packed-program";

const PACK = path.join(REPO, "tools", "plugin-pack.mjs");
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
let alone: string;

beforeAll(() => {
  const bundle = execFileSync(process.execPath, [PACK, "--bundle-only"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  alone = fs.mkdtempSync(path.join(os.tmpdir(), "oms-bundle-"));
  fs.copyFileSync(bundle, path.join(alone, "pulumi-resource-oms.js"));
}, 60_000);

afterAll(() => fs.rmSync(alone, { recursive: true, force: true }));

it("the bundle, alone in a folder, starts on Node.js and answers GetPluginInfo and GetSchema", async () => {
  expect(fs.readdirSync(alone)).toEqual(["pulumi-resource-oms.js"]);
  const got = await pluginAnswers(path.join(alone, "pulumi-resource-oms.js"), ["127.0.0.1:1"], {
    cwd: alone,
    env: { PATH: "/usr/bin:/bin", HOME: alone },
    name: "the bundle",
  });
  expect(got.version).toBe(manifest.version);
  expect(got.schema).toEqual(JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8")));
  expect(got.stderr).toBe("");
}, 30_000);

/** plugin:pack with `args` and `env`; its exit code and what it printed. */
function pack(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [PACK, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

it("an unknown target fails with one line naming the targets there are", () => {
  const result = pack(["--target", "darwin-arm64"]);
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toBe("plugin:pack: error: no target darwin-arm64; the targets are linux-amd64, linux-arm64\n");
});

it("a registry that cannot be reached fails with one line naming the package and what to check, no stack", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "oms-pack-cache-"));
  try {
    const result = pack(["--target", "linux-amd64"], {
      OMS_PLUGIN_PACK_CACHE: path.join(empty, "node"),
      npm_config_cache: path.join(empty, "npm"),
      npm_config_registry: "http://127.0.0.1:9/",
      npm_config_fetch_retries: "0",
    });
    expect(result.status).toBe(1);
    const errors = result.stderr.split("\n").filter((line) => line.includes("error"));
    expect(errors).toEqual([
      expect.stringMatching(
        /^plugin:pack: error: could not fetch node-linux-(x64|arm64)@\d+\.\d+\.\d+ from the npm registry \(npm exited 1: .*ECONNREFUSED.*\); check that npm reaches it \(npm ping\)$/,
      ),
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
}, 60_000);
