// The third door: the `oms` resource-provider plugin (provider/plugin/) as the engine starts it, one process for
// every resource type, driven through the protocol client the plugin tests use (tests/plugin/support).
//
// The plugin tests' client pulls in test support that uses jest's globals; the soak compiles it without them.
/// <reference types="jest" />
import * as path from "path";
import { resourceKeys, SYNC_EVENT } from "../../provider/plugin/schema";
import { REPO } from "../support/packed-program";
import {
  NativePlugin,
  masked,
  plain,
  secret,
  secretKeysOf,
  SYNC_TASK,
  SYNC_TASK_STATE,
  type PluginError,
} from "../plugin/support/native-plugin";
import { CallFailure, readsAsOmsError, SECRET_CONFIG, type Kind, type ProviderProcess, type Props } from "./driver";

const TOKEN: Record<Kind, string> = { SyncTask: SYNC_TASK, SyncTaskState: SYNC_TASK_STATE, SyncEvent: SYNC_EVENT };

/**
 * The plugin's entry: compiled (the soak runs from dist/, built just before), the build `pulumi-resource-oms` runs;
 * as source (jest), tests/plugin/support/run-plugin.js, which transpiles it on load. Either way without
 * OMS_PLUGIN_TEST_TUNING: production poll schedule, retries and request timeouts, as the plugin level has them.
 */
function pluginEntry(): string {
  return __filename.endsWith(".ts")
    ? path.join(REPO, "tests", "plugin", "support", "run-plugin.js")
    : path.join(__dirname, "..", "..", "provider", "plugin", "main.js");
}

/** How the plugin is started: a script Node.js runs, or an executable of its own (what plugin:pack builds). */
export interface PluginLaunch {
  entry: string;
  executable?: boolean;
}

/**
 * The plugin (at {@link pluginEntry} unless `launch` says), with the production tuning (no OMS_PLUGIN_TEST_TUNING)
 * and no `HW_*`.
 */
function startPlugin(launch: PluginLaunch = { entry: pluginEntry() }): Promise<NativePlugin> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("HW_") && k !== "OMS_PLUGIN_TEST_TUNING"),
  );
  return NativePlugin.start({}, { ...launch, env });
}

/**
 * The `oms` plugin as one provider process: configured with the stack's `oms:*` config as Configure's `args` carry
 * it (keys without the namespace, `--secret` ones wrapped). Bags go out with their secret keys wrapped, as the engine
 * keeps them where the plugin marked them, and come back unwrapped for the model to read.
 */
export class NativeProcess implements ProviderProcess {
  private printed = { out: 0, err: 0, returned: 0 };
  /** Per kind, the top-level keys the engine would hold as secrets: the schema's, and any the plugin marked. */
  private readonly secretKeys: Record<Kind, Set<string>>;

  private constructor(private readonly plugin: NativePlugin) {
    this.secretKeys = {
      SyncTask: new Set(resourceKeys(SYNC_TASK).secrets),
      SyncTaskState: new Set(resourceKeys(SYNC_TASK_STATE).secrets),
      SyncEvent: new Set(resourceKeys(SYNC_EVENT).secrets),
    };
  }

  static async start(config: Record<string, string>, launch?: PluginLaunch): Promise<NativeProcess> {
    const plugin = await startPlugin(launch);
    const args = Object.fromEntries(
      Object.entries(config).map(([name, value]) => [
        name.replace(/^oms:/, ""),
        SECRET_CONFIG.test(name) ? secret(value) : value,
      ]),
    );
    try {
      await plugin.configure(args);
    } catch (error) {
      plugin.stop();
      throw new Error(`the oms plugin refused its config: ${(error as PluginError).details ?? String(error)}`);
    }
    return new NativeProcess(plugin);
  }

  /** A bag as the engine sends it: the keys it holds as secrets wrapped. */
  private out(kind: Kind, props: Props): Props {
    const keys = this.secretKeys[kind];
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, keys.has(k) ? secret(v) : v]));
  }

  /** A bag as the model reads it: unwrapped, its secret keys noted for the next time it goes out. */
  private in(kind: Kind, props: Props): Props {
    for (const key of secretKeysOf(props)) this.secretKeys[kind].add(key);
    return plain(props);
  }

  private async call<T>(method: string, kind: Kind, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const e = error as PluginError;
      const details = typeof e?.details === "string" ? e.details : String(error);
      const initFailed = e?.initFailed
        ? { id: e.initFailed.id, properties: this.in(kind, e.initFailed.properties) }
        : undefined;
      const text = e?.initFailed ? `${details}\n${JSON.stringify(masked(e.initFailed))}` : details;
      throw new CallFailure(method, kind, text, readsAsOmsError(details), initFailed);
    }
  }

  check(kind: Kind, olds: Props, news: Props) {
    return this.call("check", kind, async () => {
      const result = await this.plugin.check(TOKEN[kind], this.out(kind, olds), this.out(kind, news));
      return { inputs: this.in(kind, result.inputs), failures: result.failures };
    });
  }

  diff(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("diff", kind, async () => {
      const result = await this.plugin.diff(TOKEN[kind], id, this.out(kind, olds), this.out(kind, news));
      // DIFF_UNKNOWN (0) is a change to the engine, as DIFF_SOME (2) is.
      return {
        changes: result.changes !== 1,
        replaces: result.replaces,
        deleteBeforeReplace: result.deleteBeforeReplace,
      };
    });
  }

  create(kind: Kind, inputs: Props) {
    return this.call("create", kind, async () => {
      const result = await this.plugin.create(TOKEN[kind], this.out(kind, inputs));
      return { id: result.id, outs: this.in(kind, result.properties) };
    });
  }

  read(kind: Kind, id: string, props: Props, inputs?: Props) {
    return this.call("read", kind, async () => {
      const result = await this.plugin.read(TOKEN[kind], id, this.out(kind, props), inputs && this.out(kind, inputs));
      const returned = this.in(kind, result.inputs);
      return {
        id: result.id,
        props: this.in(kind, result.properties),
        inputs: Object.keys(returned).length > 0 ? returned : undefined,
      };
    });
  }

  update(kind: Kind, id: string, olds: Props, news: Props) {
    return this.call("update", kind, async () =>
      this.in(kind, await this.plugin.update(TOKEN[kind], id, this.out(kind, olds), this.out(kind, news))),
    );
  }

  delete(kind: Kind, id: string, props: Props) {
    return this.call("delete", kind, () => this.plugin.delete(TOKEN[kind], id, this.out(kind, props)));
  }

  /**
   * What the process printed since the last call, and every response and error it returned, with what it marked
   * secret masked: what the engine would show or store in plain text.
   */
  drainOutput(): string {
    const { stdout, stderr, returned } = this.plugin;
    const fresh = [
      stdout.slice(this.printed.out),
      stderr.slice(this.printed.err),
      ...returned.slice(this.printed.returned),
    ].join("\n");
    this.printed = { out: stdout.length, err: stderr.length, returned: returned.length };
    return fresh;
  }

  async stop(): Promise<void> {
    this.plugin.stop();
  }
}
