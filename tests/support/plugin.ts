// Drives Pulumi's own dynamic-provider plugin over gRPC, as the engine does during preview, up, refresh and destroy.
import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as statusPb from "@pulumi/pulumi/proto/status_pb";
import { startGrpcChild, unaryCall, type ChildOutput } from "./grpc-child";

export const PROJECT = "oms-sync-test";
export const TYPE = "pulumi-nodejs:dynamic/oms:SyncTaskState";
export const SYNC_TASK_TYPE = "pulumi-nodejs:dynamic/oms:SyncTask";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

/** A gRPC failure as the engine sees it. */
export interface PluginError {
  code: number;
  details: string;
  /** Present when the resource was created but failed to initialize: the engine records it under this id. */
  initFailed?: { id: string; properties: Props; reasons: string[] };
}

export class ProviderPlugin {
  /** Every property bag and error text that came back, for secret audits. */
  readonly returned: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerRpc.ResourceProviderClient,
    private readonly output: ChildOutput,
    private readonly providerText: string,
    private readonly type: string,
    private readonly entry: string,
  ) {}

  /** Spawns the plugin with the program directory as its working directory, as the engine does. */
  static async start(programDir: string, providerText: string, type: string = TYPE): Promise<ProviderPlugin> {
    const entry = path.join(programDir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
    const { child, port, output } = await startGrpcChild(entry, ["127.0.0.1:1"], {
      cwd: programDir,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: PROJECT },
      name: "plugin",
    });
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderPlugin(child, client, output, providerText, type, entry);
  }

  /** What the plugin printed on stdout (its port first). */
  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  /**
   * Whether this plugin passes the inputs a provider's `read` returns on to the engine. Older SDKs (3.139 among
   * them) drop them: after a refresh the stored inputs stay as they were.
   */
  get readReturnsInputs(): boolean {
    return fs.readFileSync(this.entry, "utf8").includes("resultInputs");
  }

  /**
   * The same plugin process speaking for another resource type (its URN type and serialized provider), as the
   * engine's one dynamic-provider plugin serves every dynamic resource of a program. Output is shared.
   */
  as(type: string, providerText: string): ProviderPlugin {
    const view = Object.create(this) as ProviderPlugin;
    Object.defineProperty(view, "type", { value: type });
    Object.defineProperty(view, "providerText", { value: providerText });
    return view;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private async call<Req, Res>(method: string, request: Req): Promise<Res> {
    try {
      return await unaryCall<Req, Res>(this.client, method, request);
    } catch (e) {
      const error = e as grpc.ServiceError;
      this.returned.push(error.details ?? error.message);
      const initFailed = initFailureIn(error.metadata);
      if (initFailed) this.returned.push(JSON.stringify(initFailed));
      throw { code: error.code, details: error.details, initFailed } satisfies PluginError;
    }
  }

  private struct(props: Props): Struct {
    // A bag that already carries a serialized provider (from a program's registration) keeps it.
    return Struct.fromJavaScript({ __provider: this.providerText, ...props } as never);
  }

  private unpack(struct: Struct | undefined): Props {
    const value = (struct?.toJavaScript() ?? {}) as Props;
    this.returned.push(JSON.stringify(value));
    return value;
  }

  /** Sends the stack config; keys listed in `secretKeys` are wrapped as the engine wraps secrets. */
  async configure(config: Record<string, string>, secretKeys: readonly string[]): Promise<void> {
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      args[key] = secretKeys.includes(key) ? { [SECRET_SIG_KEY]: SECRET_SIG, value } : value;
    }
    const request = new providerPb.ConfigureRequest();
    request.setArgs(Struct.fromJavaScript(args as never));
    await this.call("configure", request);
  }

  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new providerPb.CheckRequest();
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("check", request);
    const failures = response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    this.returned.push(JSON.stringify(failures));
    return { inputs: this.unpack(response.getInputs()), failures };
  }

  async diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace?: boolean }> {
    const request = new providerPb.DiffRequest();
    request.setId(id);
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.call<providerPb.DiffRequest, providerPb.DiffResponse>("diff", request);
    const result = { changes: response.getChanges(), replaces: response.getReplacesList() };
    return response.getDeletebeforereplace() ? { ...result, deleteBeforeReplace: true } : result;
  }

  async create(props: Props): Promise<{ id: string; properties: Props }> {
    const request = new providerPb.CreateRequest();
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setProperties(this.struct(props));
    const response = await this.call<providerPb.CreateRequest, providerPb.CreateResponse>("create", request);
    return { id: response.getId(), properties: this.unpack(response.getProperties()) };
  }

  async read(id: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    const request = new providerPb.ReadRequest();
    request.setId(id);
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setProperties(this.struct(props));
    if (inputs) request.setInputs(this.struct(inputs));
    const response = await this.call<providerPb.ReadRequest, providerPb.ReadResponse>("read", request);
    return {
      id: response.getId(),
      properties: this.unpack(response.getProperties()),
      inputs: this.unpack(response.getInputs()),
    };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const request = new providerPb.UpdateRequest();
    request.setId(id);
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setOlds(this.struct(olds));
    request.setNews(this.struct(news));
    const response = await this.call<providerPb.UpdateRequest, providerPb.UpdateResponse>("update", request);
    return this.unpack(response.getProperties());
  }

  /** GetPluginInfo: a round trip that runs no provider code. */
  async pluginInfo(): Promise<string> {
    const { Empty } = await import("google-protobuf/google/protobuf/empty_pb");
    const info = await this.call<InstanceType<typeof Empty>, { getVersion(): string }>("getPluginInfo", new Empty());
    return info.getVersion();
  }

  async delete(id: string, props: Props): Promise<void> {
    const request = new providerPb.DeleteRequest();
    request.setId(id);
    request.setUrn(urn(this.type));
    request.setType(this.type);
    request.setProperties(this.struct(props));
    await this.call("delete", request);
  }
}

function urn(type: string): string {
  return `urn:pulumi:test::${PROJECT}::${type}::task`;
}

/** The `ErrorResourceInitFailed` detail Pulumi's plugin packs into a create error's status, if any. */
function initFailureIn(metadata: grpc.Metadata | undefined): PluginError["initFailed"] {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return undefined;
  const status = statusPb.Status.deserializeBinary(new Uint8Array(raw as Buffer));
  for (const any of status.getDetailsList()) {
    if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props,
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}

/** Removes `__provider` from a returned bag, for comparisons. */
export function withoutProvider(props: Props): Props {
  const { __provider: _provider, ...rest } = props;
  return rest;
}
