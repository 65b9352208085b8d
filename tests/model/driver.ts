// One provider process, as the engine talks to it: the lifecycle modules in this process (fast), Pulumi's own
// dynamic-provider plugin over gRPC (the real thing), or the package's `oms` plugin over the same protocol
// (native-driver.ts). The model drives all three through this one interface.
import { eventLifecycle, lifecycle, OmsError, taskLifecycle } from "../../provider";
import { envLookup, forgetSecretsForTests, useConfig } from "../../provider/testing";
import { ProviderPlugin, SYNC_TASK_TYPE, TYPE, withoutProvider, type PluginError } from "../support/plugin";

export type Kind = "SyncTask" | "SyncTaskState" | "SyncEvent";
export type Props = Record<string, unknown>;
export type Level = "lifecycle" | "plugin" | "native";

/** The stable codes an `OmsError` may carry; anything else is a crash. */
const STABLE_CODES = ["OMS_API_ERROR", "NETWORK_ERROR", "TIMEOUT", "INVALID_RESPONSE", "CONFIG_ERROR"];
/** How an `OmsError`'s message starts (`OMS <operation> [of sync task <id>] failed: `). */
const OMS_MESSAGE = /^OMS [a-z]+( of sync task \S+)? failed: /;

/** Whether a failure's message, as it crosses the wire, reads as an `OmsError` (and not as a crash inside one). */
export function readsAsOmsError(details: string): boolean {
  return OMS_MESSAGE.test(details) && !/TypeError|failed unexpectedly/.test(details);
}

/** A broken promise of the package, found by the model: which invariant, and what was seen. */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: number,
    detail: string,
  ) {
    super(`invariant ${invariant} broken: ${detail}`);
    this.name = "InvariantViolation";
  }
}

/** A provider call that failed, as the engine would see it. */
export class CallFailure extends Error {
  constructor(
    readonly method: string,
    readonly kind: Kind,
    /** Everything the failure shows: message, and at the lifecycle level its stack and fields. */
    readonly text: string,
    /** Whether it is an `OmsError` with a stable code (lifecycle), or reads as one (plugin, native). */
    readonly stable: boolean,
    /** Present when the resource was created but failed to initialize. */
    readonly initFailed?: { id: string; properties: Props },
  ) {
    super(`${kind}.${method} failed: ${text.split("\n")[0]}`);
    this.name = "CallFailure";
  }
}

/** What a provider process answers; results are plain JSON, as they cross the wire. */
export interface ProviderProcess {
  check(kind: Kind, olds: Props, news: Props): Promise<{ inputs: Props; failures: unknown[] }>;
  diff(
    kind: Kind,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(kind: Kind, inputs: Props): Promise<{ id: string; outs: Props }>;
  read(kind: Kind, id: string, props: Props, inputs?: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(kind: Kind, id: string, olds: Props, news: Props): Promise<Props>;
  delete(kind: Kind, id: string, props: Props): Promise<void>;
  /** What the process printed since the last call of this method (stdout and stderr). */
  drainOutput(): string;
  stop(): Promise<void>;
}

const plain = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

function everything(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return [error.message, error.stack ?? "", JSON.stringify({ ...error })].join("\n");
}

/**
 * The lifecycle modules of this process as one provider process. Starting one forgets every secret the redactor
 * learnt and every config, as a new plugin process would, then runs `configure` with the stack config.
 */
export class LifecycleProcess implements ProviderProcess {
  static async start(config: Record<string, string>): Promise<LifecycleProcess> {
    forgetSecretsForTests();
    useConfig(envLookup({}));
    await taskLifecycle.configure({ config: { get: (key: string) => config[key] } } as never);
    return new LifecycleProcess();
  }

  private async call<T>(method: string, kind: Kind, work: () => Promise<T>): Promise<T> {
    try {
      return plain(await work());
    } catch (error) {
      const stable = error instanceof OmsError && STABLE_CODES.includes(error.code);
      const withId = error as { id?: unknown; properties?: unknown };
      const initFailed =
        typeof withId.id === "string" ? { id: withId.id, properties: plain(withId.properties as Props) } : undefined;
      throw new CallFailure(method, kind, everything(error), stable, initFailed);
    }
  }

  private of(kind: Kind) {
    if (kind === "SyncTask") return taskLifecycle;
    if (kind === "SyncEvent")
      return { ...eventLifecycle, remove: eventLifecycle.remove as (id: string, props: Props) => Promise<void> };
    return { ...lifecycle, remove: lifecycle.remove as (id: string, props: Props) => Promise<void> };
  }

  check(kind: Kind, olds: Props, news: Props) {
    return this.call("check", kind, async () => {
      const result = await this.of(kind).check(olds, news);
      return { inputs: result.inputs as Props, failures: result.failures ?? [] };
    });
  }

  diff(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("diff", kind, async () => {
      const result = await this.of(kind).diff(id, olds, news);
      return {
        changes: result.changes !== false,
        replaces: result.replaces ?? [],
        deleteBeforeReplace: result.deleteBeforeReplace ?? false,
      };
    });
  }

  create(kind: Kind, inputs: Props) {
    return this.call("create", kind, async () => {
      const result = await this.of(kind).create(inputs);
      return { id: result.id, outs: result.outs as Props };
    });
  }

  read(kind: Kind, id: string, props: Props) {
    return this.call("read", kind, async () => {
      const result = await this.of(kind).read(id, props);
      return { id: result.id ?? "", props: (result.props ?? {}) as Props, inputs: result.inputs as Props | undefined };
    });
  }

  update(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("update", kind, async () => (await this.of(kind).update(id, olds, news)).outs as Props);
  }

  delete(kind: Kind, id: string, props: Props) {
    return this.call("delete", kind, () => this.of(kind).remove(id, props));
  }

  drainOutput(): string {
    return "";
  }

  async stop(): Promise<void> {
    return;
  }
}

/** The type Pulumi registers a SyncEvent under. */
const SYNC_EVENT_TYPE = "pulumi-nodejs:dynamic/oms:SyncEvent";

/** Config keys the engine sends as secrets. */
export const SECRET_CONFIG =
  /^oms:(accessKey|secretKey|securityToken|token|srcAk|srcSk|dstAk|dstSk|sourceCdnAuthenticationKey)$/;

/** Pulumi's dynamic-provider plugin, one process for every resource type, configured with the stack config. */
export class PluginProcess implements ProviderProcess {
  private printed = { out: 0, err: 0 };

  private constructor(
    private readonly plugin: ProviderPlugin,
    private readonly providers: Record<Kind, string>,
  ) {}

  static async start(
    programDir: string,
    providers: Record<Kind, string>,
    config: Record<string, string>,
  ): Promise<PluginProcess> {
    const plugin = await ProviderPlugin.start(programDir, providers.SyncTaskState, TYPE);
    await plugin.configure(
      config,
      Object.keys(config).filter((k) => SECRET_CONFIG.test(k)),
    );
    return new PluginProcess(plugin, providers);
  }

  private view(kind: Kind): ProviderPlugin {
    const type = kind === "SyncTask" ? SYNC_TASK_TYPE : kind === "SyncEvent" ? SYNC_EVENT_TYPE : TYPE;
    return this.plugin.as(type, this.providers[kind]);
  }

  private async call<T>(method: string, kind: Kind, work: (p: ProviderPlugin) => Promise<T>): Promise<T> {
    try {
      return await work(this.view(kind));
    } catch (error) {
      const e = error as PluginError;
      const details = typeof e?.details === "string" ? e.details : String(error);
      const initFailed = e?.initFailed
        ? { id: e.initFailed.id, properties: withoutProvider(e.initFailed.properties) }
        : undefined;
      const text = initFailed ? `${details}\n${JSON.stringify(initFailed)}` : details;
      throw new CallFailure(method, kind, text, readsAsOmsError(details), initFailed);
    }
  }

  check(kind: Kind, olds: Props, news: Props) {
    return this.call("check", kind, async (p) => {
      const result = await p.check(olds, news);
      return { inputs: withoutProvider(result.inputs), failures: result.failures };
    });
  }

  diff(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("diff", kind, async (p) => {
      const result = await p.diff(id, olds, news);
      // 0 is "unknown" (treated as a change by the engine), 2 "some".
      return {
        changes: result.changes !== 1,
        replaces: result.replaces,
        deleteBeforeReplace: result.deleteBeforeReplace ?? false,
      };
    });
  }

  create(kind: Kind, inputs: Props) {
    return this.call("create", kind, async (p) => {
      const result = await p.create(inputs);
      return { id: result.id, outs: withoutProvider(result.properties) };
    });
  }

  read(kind: Kind, id: string, props: Props, inputs?: Props) {
    return this.call("read", kind, async (p) => {
      const result = await p.read(id, props, inputs);
      const returned = withoutProvider(result.inputs);
      return {
        id: result.id,
        props: withoutProvider(result.properties),
        inputs: Object.keys(returned).length > 0 ? returned : undefined,
      };
    });
  }

  update(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("update", kind, async (p) => withoutProvider(await p.update(id, olds, news)));
  }

  delete(kind: Kind, id: string, props: Props) {
    return this.call("delete", kind, (p) => p.delete(id, props));
  }

  drainOutput(): string {
    const { stdout, stderr } = this.plugin;
    const fresh = stdout.slice(this.printed.out) + "\n" + stderr.slice(this.printed.err);
    this.printed = { out: stdout.length, err: stderr.length };
    return fresh;
  }

  async stop(): Promise<void> {
    this.plugin.stop();
  }
}
