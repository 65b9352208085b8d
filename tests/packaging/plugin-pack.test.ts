// `npm run plugin:pack`: the tarball `pulumi plugin install resource oms <version> --file` takes. Unpacked into an
// empty folder far from any node_modules, its launcher starts the plugin with Node.js from PATH alone, and the plugin
// answers as the engine asks: its version, and the committed schema.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { unaryCall } from "../support/grpc-child";
import { REPO } from "../support/packed-program";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
let unpacked: string;
let tarball: string;

beforeAll(() => {
  tarball = execFileSync(process.execPath, [path.join(REPO, "tools", "plugin-pack.mjs")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "oms-plugin-"));
  execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
}, 60_000);

afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));

it("is named for the version, OS and architecture, and holds the executable launcher at its root", () => {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as "x64" | "arm64"];
  expect(path.basename(tarball)).toBe(`pulumi-resource-oms-v${manifest.version}-${process.platform}-${arch}.tar.gz`);
  const launcher = fs.statSync(path.join(unpacked, "pulumi-resource-oms"));
  expect(launcher.mode & 0o111).toBeTruthy();
  expect(fs.readdirSync(unpacked)).not.toContain("node_modules");
  // Small enough to attach to a release: one bundled file, no dependency tree.
  expect(fs.statSync(tarball).size).toBeLessThan(5 * 1024 * 1024);
});

it("starts with only Node.js on PATH and answers GetPluginInfo and GetSchema", async () => {
  const child = spawn(path.join(unpacked, "pulumi-resource-oms"), ["127.0.0.1:1"], {
    cwd: os.tmpdir(),
    env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: unpacked },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("\n")) resolve(Number(stdout.split("\n")[0]));
      });
      child.once("exit", (code) => reject(new Error(`the plugin exited (${code}): ${stderr}`)));
    });
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const info = await unaryCall<Empty, PluginInfo>(client, "getPluginInfo", new Empty());
      expect(info.getVersion()).toBe(manifest.version);
      const schema = await unaryCall<pb.GetSchemaRequest, pb.GetSchemaResponse>(
        client,
        "getSchema",
        new pb.GetSchemaRequest(),
      );
      const committed = JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8"));
      expect(JSON.parse(schema.getSchema())).toEqual(committed);
    } finally {
      client.close();
    }
    expect(stderr).toBe("");
  } finally {
    child.kill();
  }
}, 30_000);
