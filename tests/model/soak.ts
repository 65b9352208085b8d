// `npm run soak -- [--level lifecycle|plugin|native|both|all] [--runs N] [--seed S] [--max-commands N] [--quiet]`:
// more model sequences than the test suite runs, for longer. Prints the seed first, so that any run can be replayed.
import { modelStats } from "./model";
import { runModel } from "./run-model";
import type { Level } from "./driver";

interface SoakOptions {
  levels: Level[];
  runs: number;
  seed: number;
  maxCommands: number;
  verbose: boolean;
}

function parse(argv: string[]): SoakOptions {
  const options: SoakOptions = {
    levels: ["lifecycle"],
    runs: 1000,
    seed: Date.now() % 2_147_483_647,
    maxCommands: 25,
    verbose: true,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (name: string) => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number above 0`);
      return v;
    };
    switch (flag) {
      case "--level": {
        const level = value();
        // `both` is the two doors of the dynamic resources, as before; `all` adds the oms plugin.
        const levels: Record<string, Level[]> = {
          lifecycle: ["lifecycle"],
          plugin: ["plugin"],
          native: ["native"],
          both: ["lifecycle", "plugin"],
          all: ["lifecycle", "plugin", "native"],
        };
        if (!Object.hasOwn(levels, level)) throw new Error("--level is lifecycle, plugin, native, both or all");
        options.levels = levels[level];
        break;
      }
      case "--runs":
        options.runs = count("--runs");
        break;
      case "--seed": {
        const seed = Number(value());
        if (!Number.isInteger(seed)) throw new Error("--seed must be a whole number");
        options.seed = seed;
        break;
      }
      case "--max-commands":
        options.maxCommands = count("--max-commands");
        break;
      case "--quiet":
        options.verbose = false;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}; use --level, --runs, --seed, --max-commands, --quiet`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: SoakOptions;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`soak: ${(error as Error).message}`);
    process.exit(2);
  }
  for (const level of options.levels) {
    console.log(
      `soak: ${level} level, ${options.runs} sequences of up to ${options.maxCommands} commands, seed ${options.seed}`,
    );
    const began = Date.now();
    const result = await runModel({
      level,
      runs: options.runs,
      seed: options.seed,
      maxCommands: options.maxCommands,
      verbose: options.verbose,
    });
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log(
      `soak: ${level} level passed: ${result.runs} sequences, ${result.commands} commands, ${seconds} s, seed ${result.seed}`,
    );
    const list = (map: Map<string, number>) => [...map].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    console.log(
      `soak: ${modelStats.steps} engine commands; ${modelStats.firstFailures} failed under a fault and were rerun (${modelStats.deferredReruns} of them after the next command)`,
    );
    console.log(`soak: faults played: ${list(modelStats.faultsPlayed)}`);
    console.log(`soak: reruns that failed as OMS would: ${list(modelStats.explainedRerunFailures)}`);
    console.log(`soak: SyncEvent calls that succeeded: ${list(modelStats.eventCalls)}`);
    modelStats.steps = 0;
    modelStats.firstFailures = 0;
    modelStats.deferredReruns = 0;
    modelStats.faultsPlayed.clear();
    modelStats.explainedRerunFailures.clear();
    modelStats.eventCalls.clear();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
