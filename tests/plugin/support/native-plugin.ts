// Drives the `oms` plugin over gRPC as the engine does: the plugin runs as a child process from its source (see
// run-plugin.js), and each call sends and returns property bags in the protocol's own form, secrets wrapped.
import type { ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import * as statusPb from "@pulumi/pulumi/proto/status_pb";
import { startGrpcChild, unaryCall, type ChildOutput } from "../../support/grpc-child";
import { FAST_RETRY } from "../../support/fixture";
import { TEST_POLL_SCALE } from "../../support/in-process";
import { isSecretWrapper, unwrapSecrets } from "../../../provider/plugin/values";

export { secret } from "../../../provider/plugin/values";
/** The plugin's resource types, spelled out here as a program's SDK spells them. */
export const SYNC_TASK = "oms:index:SyncTask";
export const SYNC_TASK_STATE = "oms:index:SyncTaskState";
/** DIFF_UNKNOWN, DIFF_NONE, DIFF_SOME. */
export const DIFF = pb.DiffResponse.DiffChanges;
const KIND = Object.fromEntries(Object.entries(pb.PropertyDiff.Kind).map(([name, value]) => [value, name]));

type Props = Record<string, unknown>;

/** A gRPC failure as the engine sees it. */
export interface PluginError {
  code: number;
  details: string;
  /** The partial-failure detail: the engine records the resource under this id. */
  initFailed?: { id: string; properties: Props; reasons: string[] };
}

/** A bag with every secret wrapper's value replaced by a marker: what may be shown or logged of it. */
export function masked(value: unknown): unknown {
  if (isSecretWrapper(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(masked);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  }
  return value;
}

/** The failure of a plugin call, or undefined when it succeeded. */
export const failureOf = (promise: Promise<unknown>): Promise<PluginError | undefined> =>
  promise.then(
    () => undefined,
    (e: PluginError) => e,
  );

/**
 * Sends `plugin` a Cancel while `call` runs, once `waiting()` holds, and returns the call's failure (undefined if it
 * succeeded) and how long it took to end after the Cancel was answered.
 */
export async function cancelDuring(
  plugin: NativePlugin,
  call: Promise<unknown>,
  waiting: () => boolean,
): Promise<{ error: PluginError | undefined; msAfterCancel: number }> {
  const failure = failureOf(call);
  while (!waiting()) await new Promise((resolve) => setTimeout(resolve, 20));
  await plugin.cancel();
  const cancelled = Date.now();
  const error = await failure;
  return { error, msAfterCancel: Date.now() - cancelled };
}

/** The values of a bag as a program sees them (secrets unwrapped). */
export const plain = (props: Props): Props => unwrapSecrets(props) as Props;
/** The top-level keys of a bag that are secret. */
export const secretKeysOf = (props: Props): string[] => Object.keys(props).filter((k) => isSecretWrapper(props[k]));

const urn = (type: string, name = "task") => `urn:pulumi:test::oms-sync-test::${type}::${name}`;
const struct = (props: Props) => Struct.fromJavaScript(props as never);

/** One running plugin process and a gRPC client of it; each method is one call as the engine makes it. */
export class NativePlugin {
  /** Every response and error, with secret values masked: no planted secret may appear here. */
  readonly returned: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerRpc.ResourceProviderClient,
    private readonly output: ChildOutput,
  ) {}

  /**
   * Starts the plugin with waits shortened as in-process tests shorten them, and no `HW_*` variable unless given.
   * `launch` runs another entry (the compiled plugin, say) with exactly `launch.env`.
   */
  static async start(
    env: NodeJS.ProcessEnv = {},
    launch?: { entry: string; env: NodeJS.ProcessEnv; executable?: boolean },
  ): Promise<NativePlugin> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HW_")));
    const { child, port, output } = await startGrpcChild(
      launch?.entry ?? path.join(__dirname, "run-plugin.js"),
      ["127.0.0.1:1"],
      {
        cwd: path.join(__dirname, "..", "..", ".."),
        env: launch?.env ?? {
          ...inherited,
          OMS_PLUGIN_TEST_TUNING: JSON.stringify({ pollScale: TEST_POLL_SCALE, retry: FAST_RETRY }),
          ...env,
        },
        name: "oms plugin",
        executable: launch?.executable,
      },
    );
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new NativePlugin(child, client, output);
  }

  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private async call<Res>(method: string, request: unknown): Promise<Res> {
    try {
      return await unaryCall<unknown, Res>(this.client, method, request);
    } catch (e) {
      const error = e as grpc.ServiceError;
      this.returned.push(error.details ?? error.message);
      const initFailed = initFailureIn(error.metadata);
      if (initFailed) this.returned.push(JSON.stringify(masked(initFailed)));
      throw { code: error.code, details: error.details, initFailed } satisfies PluginError;
    }
  }

  private unpack(value: Struct | undefined): Props {
    const props = (value?.toJavaScript() ?? {}) as Props;
    this.returned.push(JSON.stringify(masked(props)));
    return props;
  }

  async pluginInfo(): Promise<string> {
    return (await this.call<{ getVersion(): string }>("getPluginInfo", new Empty())).getVersion();
  }

  async schema(): Promise<string> {
    return (await this.call<pb.GetSchemaResponse>("getSchema", new pb.GetSchemaRequest())).getSchema();
  }

  async checkConfig(news: Props, olds: Props = {}) {
    const request = new pb.CheckRequest()
      .setUrn(urn("pulumi:providers:oms", "default"))
      .setType("pulumi:providers:oms");
    request.setOlds(struct(olds)).setNews(struct(news));
    const response = await this.call<pb.CheckResponse>("checkConfig", request);
    return { inputs: this.unpack(response.getInputs()), failures: this.failures(response.getFailuresList()) };
  }

  async diffConfig(olds: Props, news: Props) {
    const request = new pb.DiffRequest().setUrn(urn("pulumi:providers:oms", "default")).setType("pulumi:providers:oms");
    request.setOlds(struct(olds)).setOldInputs(struct(olds)).setNews(struct(news));
    return this.diffOf(await this.call<pb.DiffResponse>("diffConfig", request));
  }

  /** Configure with `args` (wrap secrets with {@link secret}) and, optionally, the older `variables` map. */
  async configure(args: Props, variables: Record<string, string> = {}) {
    const request = new pb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true);
    for (const [k, v] of Object.entries(variables)) request.getVariablesMap().set(k, v);
    const response = await this.call<pb.ConfigureResponse>("configure", request);
    return { acceptSecrets: response.getAcceptsecrets(), supportsPreview: response.getSupportspreview() };
  }

  async check(type: string, olds: Props, news: Props) {
    const request = new pb.CheckRequest().setUrn(urn(type)).setType(type).setOlds(struct(olds)).setNews(struct(news));
    const response = await this.call<pb.CheckResponse>("check", request);
    return { inputs: this.unpack(response.getInputs()), failures: this.failures(response.getFailuresList()) };
  }

  async diff(type: string, id: string, olds: Props, news: Props) {
    const request = new pb.DiffRequest().setId(id).setUrn(urn(type)).setType(type);
    request.setOlds(struct(olds)).setNews(struct(news));
    return this.diffOf(await this.call<pb.DiffResponse>("diff", request));
  }

  async create(type: string, props: Props, preview = false) {
    const request = new pb.CreateRequest().setUrn(urn(type)).setType(type).setProperties(struct(props));
    const response = await this.call<pb.CreateResponse>("create", request.setPreview(preview));
    return { id: response.getId(), properties: this.unpack(response.getProperties()) };
  }

  /** Read: a refresh with `props` (and `inputs`), or, without them, an import by id. */
  async read(type: string, id: string, props?: Props, inputs?: Props) {
    const request = new pb.ReadRequest().setId(id).setUrn(urn(type)).setType(type);
    if (props) request.setProperties(struct(props));
    if (inputs) request.setInputs(struct(inputs));
    const response = await this.call<pb.ReadResponse>("read", request);
    return {
      id: response.getId(),
      properties: this.unpack(response.getProperties()),
      inputs: this.unpack(response.getInputs()),
    };
  }

  async update(type: string, id: string, olds: Props, news: Props, preview = false) {
    const request = new pb.UpdateRequest().setId(id).setUrn(urn(type)).setType(type).setPreview(preview);
    request.setOlds(struct(olds)).setNews(struct(news));
    return this.unpack((await this.call<pb.UpdateResponse>("update", request)).getProperties());
  }

  async delete(type: string, id: string, props: Props): Promise<void> {
    const request = new pb.DeleteRequest().setId(id).setUrn(urn(type)).setType(type).setProperties(struct(props));
    await this.call("delete", request);
  }

  async invoke(tok: string, args: Props) {
    const response = await this.call<pb.InvokeResponse>(
      "invoke",
      new pb.InvokeRequest().setTok(tok).setArgs(struct(args)),
    );
    return { result: this.unpack(response.getReturn()), failures: this.failures(response.getFailuresList()) };
  }

  async cancel(): Promise<void> {
    await this.call("cancel", new Empty());
  }

  private failures(list: pb.CheckFailure[]) {
    const failures = list.map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    this.returned.push(JSON.stringify(failures));
    return failures;
  }

  private diffOf(response: pb.DiffResponse) {
    const detailed: Record<string, string> = {};
    response.getDetaileddiffMap().forEach((diff, key) => (detailed[key] = KIND[diff.getKind()]));
    return {
      changes: response.getChanges(),
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
      detailed,
    };
  }
}

/** The `ErrorResourceInitFailed` detail packed into an error's status, if any. */
function initFailureIn(metadata: grpc.Metadata | undefined): PluginError["initFailed"] {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return undefined;
  const status = statusPb.Status.deserializeBinary(new Uint8Array(raw as Buffer));
  for (const any of status.getDetailsList()) {
    if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props,
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}
