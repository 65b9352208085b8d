// Runs the model at one level: many random command sequences, each against a fresh emulator (which answers an opposing
// call during a change either way OMS might) and provider process.
// A failure names its seed and the shrunk command list; `--seed S` (or `seed`) replays it.
import fc from "fast-check";
import { tuning } from "../../provider/testing";
import { packedProgram, serializeProviderIn } from "../support/packed-program";
import { LifecycleProcess, PluginProcess, type Level } from "./driver";
import { NativeProcess } from "./native-driver";
import { commands, OPPOSING_CALLS, runSequence, type LevelSettings } from "./model";

export interface ModelRunOptions {
  level: Level;
  runs: number;
  seed?: number;
  maxCommands?: number;
  /** Prints each sequence's length and time (soak). */
  verbose?: boolean;
}

/** The lifecycle level: this process, a shortened poll schedule, fast retries and short request timeouts. */
function lifecycleLevel(): LevelSettings {
  return {
    level: "lifecycle",
    timeoutSeconds: 1.5,
    shortTimeoutSeconds: 0.1,
    requestTimeoutMs: 300,
    // Generous: the bound is there to catch a hang, and jest runs other suites on the same two cores.
    slackMs: 1_500,
    timeScale: 0.05,
    startProcess: (config) => LifecycleProcess.start(config),
  };
}

/** The plugin level: the packed package in Pulumi's plugin, with production timings throughout. */
function pluginLevel(): LevelSettings {
  const dir = packedProgram().dir;
  const providers = {
    SyncTask: serializeProviderIn(dir, "SyncTask", { srcRegion: "r", srcBucket: "a", dstRegion: "r", dstBucket: "b" }),
    SyncTaskState: serializeProviderIn(dir),
    SyncEvent: serializeProviderIn(dir, "SyncEvent", { syncTaskId: "probe", objectKeys: ["probe"] }),
  };
  return {
    level: "plugin",
    timeoutSeconds: 5,
    shortTimeoutSeconds: 2,
    // A request is cut to the operation's deadline, but never below this (MIN_REQUEST_TIMEOUT_MS).
    requestTimeoutMs: 1_000,
    slackMs: 3_000,
    timeScale: 1,
    startProcess: (config) => PluginProcess.start(dir, providers, config),
  };
}

/**
 * The native level: the package's `oms` plugin, one process for every resource type, with production timings
 * throughout (no test tuning reaches it), so the plugin level's bounds.
 */
function nativeLevel(): LevelSettings {
  return {
    level: "native",
    timeoutSeconds: 5,
    shortTimeoutSeconds: 2,
    requestTimeoutMs: 1_000,
    slackMs: 3_000,
    timeScale: 1,
    startProcess: (config) => NativeProcess.start(config),
  };
}

/** The settings of one level (the plugin level packs and serializes once per call). */
export function levelSettings(level: Level): LevelSettings {
  return level === "lifecycle" ? lifecycleLevel() : level === "plugin" ? pluginLevel() : nativeLevel();
}

/**
 * Tunes this process for a level: the lifecycle level runs the provider here with its poll schedule, retries and
 * request timeout shortened. Returns what undoes it.
 */
export function tuneFor(settings: LevelSettings): () => void {
  const saved = { ...tuning };
  if (settings.level === "lifecycle") {
    Object.assign(tuning, {
      pollScale: 0.05,
      retry: { baseDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 20 },
      requestTimeoutMs: settings.requestTimeoutMs,
    });
  }
  return () => Object.assign(tuning, saved);
}

/** Runs the model; throws fast-check's report (seed, path, shrunk commands) when an invariant breaks. */
export async function runModel(options: ModelRunOptions): Promise<{ seed: number; runs: number; commands: number }> {
  const settings = levelSettings(options.level);
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  const untune = tuneFor(settings);
  let total = 0;
  let sequence = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPPOSING_CALLS), commands(options.maxCommands ?? 25), async (oms, cmds) => {
        const list = [...cmds];
        const began = Date.now();
        await runSequence(settings, list, oms);
        total += list.length;
        sequence += 1;
        if (options.verbose) {
          console.log(
            `sequence ${sequence} (opposing call ${oms}): ${list.length} commands, ${((Date.now() - began) / 1000).toFixed(1)} s: ${String(cmds)}`,
          );
        }
      }),
      { numRuns: options.runs, seed, verbose: 1 },
    );
  } catch (error) {
    const report = error instanceof Error ? error.message : String(error);
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause);
    throw new Error(`the ${options.level} model failed (seed ${seed}): ${why}\n${report}`);
  } finally {
    untune();
  }
  return { seed, runs: options.runs, commands: total };
}
