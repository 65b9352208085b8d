// Drives a policy pack through Pulumi's own policy runner (`@pulumi/pulumi/cmd/run-policy-pack`) over gRPC, as
// `pulumi preview --policy-pack` does: GetAnalyzerInfo, Configure, Analyze per resource, AnalyzeStack for the stack.
import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { startGrpcChild, unaryCall, type ChildOutput } from "./grpc-child";
import { REPO } from "./packed-program";

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: Level[] = ["advisory", "mandatory", "disabled", "remediate"];

/** One resource as the engine hands it to the analyzer: its type, name and inputs, and its options. */
export interface AnalyzedResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  protect?: boolean;
}

/** A violation as the engine receives it. */
export interface Violation {
  policy: string;
  pack: string;
  version: string;
  description: string;
  message: string;
  level: Level;
  urn: string;
}

export interface PolicyInfo {
  name: string;
  description: string;
  level: Level;
  configSchema?: Record<string, unknown>;
}

export const urnOf = (r: Pick<AnalyzedResource, "type" | "name">) =>
  `urn:pulumi:dev::oms-sync-test::${r.type}::${r.name}`;

/**
 * A policy pack directory runnable by the policy runner: `index.ts` of `sourceDir` transpiled to `index.js`, inside
 * `programDir` (whose node_modules has this package installed from its tarball), with `@pulumi/policy` linked in.
 */
export function preparePack(programDir: string, sourceDir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const dir = path.join(programDir, "policy-pack");
  fs.mkdirSync(dir, { recursive: true });
  const source = fs.readFileSync(path.join(sourceDir, "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(path.join(dir, "index.js"), outputText);
  fs.copyFileSync(path.join(sourceDir, "PulumiPolicy.yaml"), path.join(dir, "PulumiPolicy.yaml"));
  const manifest = JSON.parse(fs.readFileSync(path.join(sourceDir, "package.json"), "utf8")) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, main: "index.js" }));
  const link = path.join(programDir, "node_modules", "@pulumi", "policy");
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi", "policy"), link, "dir");
  return dir;
}

export class PolicyHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerRpc.AnalyzerClient,
    private readonly output: ChildOutput,
  ) {}

  /** Starts Pulumi's policy runner on `packDir`, as the engine does; it prints its port first. */
  static async start(programDir: string, packDir: string): Promise<PolicyHost> {
    const entry = path.join(programDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js");
    const { child, port, output } = await startGrpcChild(entry, ["127.0.0.1:1", packDir], {
      cwd: packDir,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: "oms-sync-test", PULUMI_NODEJS_STACK: "dev" },
      name: "policy runner",
    });
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyHost(child, client, output);
  }

  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    return unaryCall<Req, Res>(this.client, method, request);
  }

  /** GetAnalyzerInfo: the pack's name, version and policies with their levels and config schemas. */
  async info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
    const { Empty } = await import("google-protobuf/google/protobuf/empty_pb");
    const info = await this.call<unknown, analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => ({
        name: p.getName(),
        description: p.getDescription(),
        level: LEVELS[p.getEnforcementlevel()],
        configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
      })),
    };
  }

  /** Configure: per policy, an enforcement level and config properties (as `pulumi preview` sends them). */
  async configure(config: Record<string, { level?: Level; properties?: Record<string, unknown> }>): Promise<void> {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [policy, { level, properties }] of Object.entries(config)) {
      const entry = new analyzerPb.PolicyConfig();
      entry.setEnforcementlevel(LEVELS.indexOf(level ?? "advisory") as analyzerPb.EnforcementLevel);
      entry.setProperties(Struct.fromJavaScript((properties ?? {}) as never));
      request.getPolicyconfigMap().set(policy, entry);
    }
    await this.call("configure", request);
  }

  private options(r: AnalyzedResource): analyzerPb.AnalyzerResourceOptions {
    const options = new analyzerPb.AnalyzerResourceOptions();
    options.setProtect(r.protect ?? false);
    return options;
  }

  /** Analyze: one resource's inputs, as the engine checks each resource before it registers it. */
  async analyze(r: AnalyzedResource): Promise<Violation[]> {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType(r.type);
    request.setName(r.name);
    request.setUrn(urnOf(r));
    request.setProperties(Struct.fromJavaScript(r.props as never));
    request.setOptions(this.options(r));
    const violations = violationsOf(
      await this.call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>("analyze", request),
    );
    // A resource policy's diagnostic is about the resource analyzed, as the engine attributes it.
    return violations.map((v) => (v.urn ? v : { ...v, urn: urnOf(r) }));
  }

  /** AnalyzeStack: every resource of the stack at once. */
  async analyzeStack(resources: AnalyzedResource[]): Promise<Violation[]> {
    const request = new analyzerPb.AnalyzeStackRequest();
    for (const r of resources) {
      const resource = new analyzerPb.AnalyzerResource();
      resource.setType(r.type);
      resource.setName(r.name);
      resource.setUrn(urnOf(r));
      resource.setProperties(Struct.fromJavaScript(r.props as never));
      resource.setOptions(this.options(r));
      request.addResources(resource);
    }
    return violationsOf(
      await this.call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>("analyzeStack", request),
    );
  }
}

function violationsOf(response: analyzerPb.AnalyzeResponse): Violation[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    pack: d.getPolicypackname(),
    version: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    level: LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn(),
  }));
}

/** Violations as `pulumi preview` lists them under "Policy Violations:". */
export function formatViolations(violations: Violation[], resources: AnalyzedResource[]): string {
  const lines = ["Policy Violations:"];
  for (const v of violations) {
    const r = resources.find((x) => urnOf(x) === v.urn);
    const subject = r ? ` (${r.name}: ${r.type})` : "";
    lines.push(`    [${v.level}]  ${v.pack} v${v.version}  ${v.policy}${subject}`);
    // The SDK sends the description as the message's first line.
    const message = v.message.split("\n").filter((line) => line !== v.description);
    for (const line of [v.description, ...message]) lines.push(`    ${line}`);
  }
  return lines.join("\n");
}
