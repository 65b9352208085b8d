// What every protocol-level test of the plugin shares: the provider's settings as the engine sends them, the
// emulator's request log in short, and the sweep for planted secrets.
import type { OmsEmulator } from "../../../emulator/oms-emulator";
import { SECRET_KEYS, type ConfigKey } from "../../../provider/core/config";
import { ALL_SECRETS, signaturesIn } from "../../support/secrets";
import { stackConfig } from "../../support/stack";
import { startEmulator } from "../../support/fixture";
import { NativePlugin, secret } from "./native-plugin";

type Props = Record<string, unknown>;

/**
 * The stack's `oms:*` config as Configure's `args` carry it: keys without the namespace, key settings wrapped as
 * secrets. `overrides` change or (with `undefined`) remove `oms:<key>` entries.
 */
export function configArgs(endpoint: string, overrides: Record<string, string | undefined> = {}): Props {
  const config = stackConfig(endpoint, overrides);
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => {
      const key = name.replace(/^oms:/, "") as ConfigKey;
      return [key, SECRET_KEYS.has(key) ? secret(value) : value];
    }),
  );
}

/** The emulator's requests since the last `clearLog`: the operation, with the status when it was not 200. */
export const ops = (emulator: OmsEmulator): string[] =>
  emulator.requests.map((r) => (r.outcome === 200 ? String(r.operation) : `${r.operation}:${r.outcome}`));

/** Collects every signature the emulator saw, across `clearLog` calls: they are secrets too. */
export class SignatureLog {
  private readonly seen = new Set<string>();

  note(emulator: OmsEmulator): void {
    for (const s of signaturesIn(emulator.requests.map((r) => r.headers))) this.seen.add(s);
  }

  get size(): number {
    return this.seen.size;
  }

  /** Every planted secret or seen signature in what the plugin returned (secrets masked) or printed. */
  leaksIn(plugin: NativePlugin): string[] {
    const places = { returned: plugin.returned.join("\n"), stdout: plugin.stdout, stderr: plugin.stderr };
    return Object.entries(places).flatMap(([place, text]) =>
      [...ALL_SECRETS, ...this.seen].filter((s) => text.includes(s)).map((s) => `${s.slice(0, 8)}… in ${place}`),
    );
  }
}

/**
 * One emulator and one plugin configured for it, for the whole file, stopped after it; `use` receives both once
 * started. With `audit`, each test starts with an empty request log and ends with the sweep: no signature OMS saw
 * and no planted secret in anything the plugin printed.
 */
export function pluginPerFile(
  use: (emulator: OmsEmulator, plugin: NativePlugin) => void,
  options: { audit?: SignatureLog } = {},
): void {
  let emulator: OmsEmulator | undefined;
  let plugin: NativePlugin | undefined;
  beforeAll(async () => {
    [emulator, plugin] = await Promise.all([startEmulator(), NativePlugin.start()]);
    await plugin.configure(configArgs(emulator.url));
    use(emulator, plugin);
  }, 60_000);
  afterAll(async () => {
    plugin?.stop();
    await emulator?.stop();
  });
  const { audit } = options;
  if (!audit) return;
  beforeEach(() => emulator!.clearLog());
  afterEach(() => {
    audit.note(emulator!);
    expect(audit.leaksIn(plugin!)).toEqual([]);
  });
}
