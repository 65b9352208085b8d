// The commands a user, the console and a broken network perform on the model's world, as fast-check generates
// them; each engine command runs through Sim.step, which checks the invariants.
import fc from "fast-check";
import type { Operation, OpposingCall } from "../../emulator/oms-emulator";
import { InvariantViolation, type Kind, type Props } from "./driver";
import { QUOTA, Sim, type FaultSpec, type KmsKeys, type LevelSettings } from "./world";

type Cmd = fc.AsyncCommand<Sim, Sim, false>;
const TASK_SLOTS = ["T0", "T1", "T2"] as const;
const STATE_SLOTS = ["S0", "S1"] as const;
const EVENT_SLOTS = ["E0", "E1"] as const;
/** Object names an event may carry: plain, nested, and ones URL encoding changes. */
const OBJECT_NAMES = [
  "c.txt",
  "logs/a b.txt",
  "deep/nested/file.json",
  "dir/ü-ß.bin",
  "x+y=z&w?.txt",
  "%41 literal",
  "img/2024/01/photo.jpg",
  "data.csv",
  "spaces  twice.txt",
  "中文/对象.txt",
  "a#b;c.log",
  "readme",
];

function up(sim: Sim, name: string): Promise<void> {
  const d = sim.declared.get(name);
  if (!d) return Promise.resolve();
  return sim.step(`up ${name}`, name, () => sim.engine.up(name, d.kind, d.program));
}

/** The n-th of `names` (wrapping), or `undefined` when there is none: commands name resources by position. */
function nth(names: string[], pick: number): string | undefined {
  return names.length === 0 ? undefined : names[pick % names.length];
}

const freeSlot = (m: Sim, slots: readonly string[]) => slots.find((slot) => !m.declared.has(slot));
const declaredNames = (m: Sim) => [...m.declared.keys()].sort();

/** A bucket name longer than OMS takes (63): check lets it through, OMS refuses it with a "maximum length" 400. */
const LONG_BUCKET = "b".repeat(64);

class DeclareTask implements Cmd {
  constructor(
    readonly a: { started: boolean; kms: boolean; cdn: boolean; ownKeys: boolean; longBucket: boolean; short: boolean },
  ) {}
  check = (m: Sim) => freeSlot(m, TASK_SLOTS) !== undefined;
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, TASK_SLOTS)!;
    const { started, kms, cdn, ownKeys, longBucket } = this.a;
    const n = sim.next();
    const ids: KmsKeys = kms ? { srcKmsKeyId: sim.uuid(), dstKmsKeyId: sim.uuid() } : {};
    if (kms && cdn) ids.sourceCdnKmsKeyId = sim.uuid();
    const keys = ownKeys ? sim.vault.keySet() : undefined;
    const program: Props = {
      srcCloudType: "HuaweiCloud",
      srcRegion: "cn-north-4",
      srcBucket: `src-${slot.toLowerCase()}-${n}`,
      dstRegion: "cn-north-4",
      dstBucket: longBucket ? LONG_BUCKET : `dst-${slot.toLowerCase()}-${n}`,
      description: `model ${slot} ${n}`,
      state: started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
      ...ids,
      ...(cdn
        ? {
            sourceCdn: {
              domain: `cdn-${n}.example.com`,
              protocol: "https",
              authenticationType: "QINIU_PRIVATE_AUTHENTICATION",
            },
          }
        : {}),
      ...(keys ? { credentials: keys } : {}),
    };
    sim.declared.set(slot, { name: slot, kind: "SyncTask", program, ownKeys: keys, kms: ids, cdn, adopted: false });
    await up(sim, slot);
    // The user reads OMS's refusal and shortens the name; later commands run with the program fixed.
    if (longBucket) program.dstBucket = `dst-${slot.toLowerCase()}-${n}`;
  }
  toString = () => `declareTask(${JSON.stringify(this.a)})`;
}

class AdoptTask implements Cmd {
  constructor(readonly a: { pick: number; started: boolean; short: boolean }) {}
  check = (m: Sim) => freeSlot(m, TASK_SLOTS) !== undefined && m.unmanaged().some((id) => id.startsWith("console-"));
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, TASK_SLOTS)!;
    const id = nth(
      sim.unmanaged().filter((t) => t.startsWith("console-")),
      this.a.pick,
    );
    if (!id) return;
    const program = {
      ...sim.consoleDefinition(id),
      syncTaskId: id,
      state: this.a.started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
    };
    sim.declared.set(slot, {
      name: slot,
      kind: "SyncTask",
      program,
      kms: sim.taskKms.get(id) ?? {},
      cdn: false,
      adopted: true,
    });
    sim.requireKeys(id, "config");
    await up(sim, slot);
  }
  toString = () => `adoptTask(${JSON.stringify(this.a)})`;
}

class DeclareState implements Cmd {
  constructor(readonly a: { pick: number; started: boolean; ownKeys: boolean; short: boolean }) {}
  check = (m: Sim) => freeSlot(m, STATE_SLOTS) !== undefined && m.unmanaged().length > 0;
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, STATE_SLOTS)!;
    const id = nth(sim.unmanaged(), this.a.pick);
    if (!id) return;
    const keys = this.a.ownKeys ? sim.vault.keySet() : undefined;
    const kms = sim.taskKms.get(id) ?? {};
    const program: Props = {
      syncTaskId: id,
      state: this.a.started ? "started" : "paused",
      timeoutSeconds: this.a.short ? sim.settings.shortTimeoutSeconds : sim.settings.timeoutSeconds,
      ...kms,
      ...(keys ? { credentials: keys } : {}),
    };
    sim.declared.set(slot, {
      name: slot,
      kind: "SyncTaskState",
      program,
      ownKeys: keys,
      kms,
      cdn: false,
      adopted: false,
    });
    sim.requireKeys(id, keys ?? "config");
    await up(sim, slot);
  }
  toString = () => `declareState(${JSON.stringify(this.a)})`;
}

/** A SyncEvent on one of this project's tasks (synchronizing or not: OMS refuses an event on a task that is not). */
class DeclareEvent implements Cmd {
  constructor(readonly a: { pick: number; keys: string[]; trigger: boolean }) {}
  check = (m: Sim) => freeSlot(m, EVENT_SLOTS) !== undefined && m.ourTasks().length > 0;
  async run(_m: Sim, sim: Sim) {
    const slot = freeSlot(sim, EVENT_SLOTS)!;
    const id = nth(sim.ourTasks(), this.a.pick);
    if (!id) return;
    const program: Props = {
      syncTaskId: id,
      objectKeys: this.a.keys,
      ...(this.a.trigger ? { triggers: [`v${sim.next()}`] } : {}),
    };
    sim.declared.set(slot, { name: slot, kind: "SyncEvent", program, kms: {}, cdn: false, adopted: false });
    await up(sim, slot);
  }
  toString = () => `declareEvent(${JSON.stringify(this.a)})`;
}

const events = (m: Sim) => declaredNames(m).filter((n) => m.declared.get(n)?.kind === "SyncEvent");

/** New keys or a new trigger (a new event: replaced), or the endpoint written another way (an update, no call). */
class ChangeEvent implements Cmd {
  constructor(readonly a: { pick: number; what: "keys" | "trigger" | "endpoint"; keys: string[] }) {}
  check = (m: Sim) => events(m).length > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(events(sim), this.a.pick)!;
    const d = sim.declared.get(name)!;
    if (this.a.what === "keys") d.program = { ...d.program, objectKeys: this.a.keys };
    else if (this.a.what === "trigger") d.program = { ...d.program, triggers: [`v${sim.next()}`] };
    else {
      const { endpoint, ...rest } = d.program;
      d.program = endpoint === undefined ? { ...rest, endpoint: `${sim.emulator.url}/` } : rest;
    }
    await up(sim, name);
  }
  toString = () => `changeEvent(${JSON.stringify(this.a)})`;
}

/** Resources with a task state of their own (a SyncEvent has none, nor start keys). */
const tasky = (m: Sim) => declaredNames(m).filter((n) => m.declared.get(n)?.kind !== "SyncEvent");

class Flip implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => tasky(m).length > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(tasky(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    d.program = { ...d.program, state: d.program.state === "started" ? "paused" : "started" };
    await up(sim, name);
  }
  toString = () => `flip(${this.pick})`;
}

const redefinable = (m: Sim) =>
  declaredNames(m).filter((n) => m.declared.get(n)?.kind === "SyncTask" && !m.declared.get(n)?.adopted);

class Redefine implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => redefinable(m).length > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(redefinable(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    d.program = { ...d.program, description: `model ${name} ${sim.next()}` };
    await up(sim, name);
  }
  toString = () => `redefine(${this.pick})`;
}

class RotateOwnKeys implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => tasky(m).length > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(tasky(sim), this.pick)!;
    const d = sim.declared.get(name)!;
    const keys = sim.vault.keySet();
    d.ownKeys = keys;
    d.program = { ...d.program, credentials: keys };
    // The bucket owners rotated: OMS wants the new keys for this resource's task from now on.
    const id = sim.taskOf(name);
    if (id) sim.requireKeys(id, keys);
    await up(sim, name);
  }
  toString = () => `rotateCredentials(${this.pick})`;
}

class RotateConfigKeys implements Cmd {
  check = () => true;
  async run(_m: Sim, sim: Sim) {
    await sim.rotateConfig();
  }
  toString = () => "rotateConfigKeysAndRestart()";
}

class Up implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  run = (_m: Sim, sim: Sim) => up(sim, nth(declaredNames(sim), this.pick)!);
  toString = () => `up(${this.pick})`;
}

const inState = (m: Sim) => [...m.engine.state.keys()].sort();

class Refresh implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.engine.state.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(inState(sim), this.pick)!;
    await sim.step(`refresh ${name}`, name, () => sim.engine.refresh(name));
  }
  toString = () => `refresh(${this.pick})`;
}

class Destroy implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Sim) => m.declared.size > 0;
  async run(_m: Sim, sim: Sim) {
    const name = nth(declaredNames(sim), this.pick)!;
    const id = sim.taskOf(name);
    if (sim.engine.state.has(name)) {
      await sim.step(`destroy ${name}`, name, () => sim.engine.destroy(name));
    }
    if (!sim.engine.state.has(name)) {
      // A SyncTaskState leaves its task running with the keys it last sent.
      if (id && sim.declared.get(name)?.kind === "SyncTaskState") sim.unknownKeys.add(id);
      sim.declared.delete(name);
    }
  }
  toString = () => `destroy(${this.pick})`;
}

class Get implements Cmd {
  constructor(readonly a: { kind: Kind; pick: number }) {}
  check = (m: Sim) => m.ourTasks().length > 0;
  async run(_m: Sim, sim: Sim) {
    const tasks = sim.ourTasks();
    if (tasks.length === 0) return;
    const id = tasks[this.a.pick % tasks.length];
    const before = JSON.stringify([...sim.engine.state]);
    let shown: Props | undefined;
    await sim.step(`get ${this.a.kind} ${id}`, undefined, async () => {
      shown = await sim.engine.get(this.a.kind, id);
    });
    const status = sim.omsTasks().find((t) => t.id === id)?.status;
    if (shown && status && shown.status !== status) {
      throw new InvariantViolation(1, `get ${id}: status ${String(shown.status)}, OMS shows ${status}`);
    }
    if (JSON.stringify([...sim.engine.state]) !== before) throw new InvariantViolation(2, `get ${id} changed state`);
  }
  toString = () => `get(${JSON.stringify(this.a)})`;
}

class Console implements Cmd {
  constructor(readonly a: { pick: number; action: "pause" | "start" | "delete" }) {}
  check = (m: Sim) => m.omsTasks().length > 0;
  async run(_m: Sim, sim: Sim) {
    const alive = new Set(sim.omsTasks().map((t) => t.id));
    const tasks = sim.known.filter((id) => alive.has(id));
    if (tasks.length === 0) return;
    const id = tasks[this.a.pick % tasks.length];
    const task = sim.omsTasks().find((t) => t.id === id)!;
    if (this.a.action === "delete") {
      sim.emulator.removeTask(task.projectId, id);
      sim.consoleAlive.delete(id);
      sim.gone.add(id);
    } else {
      // The console's buttons go through OMS, which answers them as it answers the provider: an OMS that refuses a
      // call while a change is under way refuses the console's too.
      const refuses = (task.opposingCall ?? sim.emulator.options.opposingCall) === "refused-until-done";
      if (task.pending && refuses) return;
      sim.emulator.setStatus(task.projectId, id, this.a.action === "start" ? "SYNCHRONIZING" : "STOPPED");
      if (this.a.action === "start") sim.unknownKeys.add(id);
    }
    for (const [name, entry] of sim.engine.state) if (entry.id === id) sim.drifted.add(name);
  }
  toString = () => `console(${JSON.stringify(this.a)})`;
}

class ConsoleCreate implements Cmd {
  constructor(readonly a: { kms: boolean; started: boolean; otherProject: boolean }) {}
  check = (m: Sim) => m.omsTasks().length < QUOTA;
  async run(_m: Sim, sim: Sim) {
    if (sim.omsTasks().length < QUOTA) sim.seedConsoleTask(this.a);
  }
  toString = () => `consoleCreate(${JSON.stringify(this.a)})`;
}

class Arm implements Cmd {
  constructor(readonly fault: FaultSpec) {}
  check = (m: Sim) => m.armed === undefined;
  async run(_m: Sim, sim: Sim) {
    sim.armed = this.fault;
  }
  toString = () => `arm(${JSON.stringify(this.fault)})`;
}

class Restart implements Cmd {
  check = () => true;
  run = (_m: Sim, sim: Sim) => sim.restart();
  toString = () => "restartProviderProcess()";
}

const op = fc.constantFrom<Operation | undefined>(undefined, "show", "start", "stop", "create", "delete", "list");
const faultKinds: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("throttle", "unavailable", "reset", "apply-then-reset", "hang") as fc.Arbitrary<"throttle">,
    op,
  }),
  fc.constant({ kind: "lost-create" } as const),
  fc.record({
    kind: fc.constant("echo" as const),
    op,
    secret: fc.nat(40),
    encoding: fc.constantFrom("raw" as const, "url" as const, "json" as const),
    status: fc.constantFrom(400 as const, 500 as const),
    json: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("slow" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);
/** Half the faults defer the rerun of the command they make fail: the next command comes first. */
const faults: fc.Arbitrary<FaultSpec> = fc
  .tuple(faultKinds, fc.boolean())
  .map(([fault, defer]) => (defer ? { ...fault, defer } : fault));

/** The commands, for replaying a shrunk sequence by hand (regression tests). */
export const Commands = {
  DeclareTask,
  AdoptTask,
  DeclareState,
  DeclareEvent,
  ChangeEvent,
  Flip,
  Redefine,
  RotateOwnKeys,
  RotateConfigKeys,
  Up,
  Refresh,
  Destroy,
  Get,
  Console,
  ConsoleCreate,
  Arm,
  Restart,
};

/** Every command the model knows, as fast-check generates them. */
export function commands(maxCommands: number): fc.Arbitrary<Iterable<Cmd>> {
  const pick = fc.nat(9);
  const rarely = fc.nat(9).map((n) => n === 0);
  const short = fc.nat(3).map((n) => n === 0);
  // Declaring, flipping and arming are listed twice: they make the later commands worth running.
  const declareTask = fc
    .record({
      started: fc.boolean(),
      kms: fc.boolean(),
      cdn: fc.boolean(),
      ownKeys: fc.boolean(),
      longBucket: rarely,
      short,
    })
    .map((a) => new DeclareTask(a));
  const declareState = fc
    .record({ pick, started: fc.boolean(), ownKeys: fc.boolean(), short })
    .map((a) => new DeclareState(a));
  const objectKeys = fc.uniqueArray(fc.constantFrom(...OBJECT_NAMES), { minLength: 1, maxLength: 10 });
  const flip = pick.map((n) => new Flip(n));
  const arm = faults.map((f) => new Arm(f));
  return fc.commands<Sim, Sim, false>(
    [
      declareTask,
      declareTask,
      fc.record({ pick, started: fc.boolean(), short }).map((a) => new AdoptTask(a)),
      declareState,
      declareState,
      fc.record({ pick, keys: objectKeys, trigger: fc.boolean() }).map((a) => new DeclareEvent(a)),
      fc
        .record({
          pick,
          what: fc.constantFrom("keys" as const, "trigger" as const, "endpoint" as const),
          keys: objectKeys,
        })
        .map((a) => new ChangeEvent(a)),
      flip,
      flip,
      pick.map((n) => new Redefine(n)),
      pick.map((n) => new RotateOwnKeys(n)),
      fc.constant(new RotateConfigKeys()),
      pick.map((n) => new Up(n)),
      pick.map((n) => new Refresh(n)),
      pick.map((n) => new Destroy(n)),
      fc.record({ kind: fc.constantFrom<Kind>("SyncTask", "SyncTaskState"), pick }).map((a) => new Get(a)),
      fc
        .record({ pick, action: fc.constantFrom("pause" as const, "start" as const, "delete" as const) })
        .map((a) => new Console(a)),
      fc
        .record({ kms: fc.boolean(), started: fc.boolean(), otherProject: fc.boolean() })
        .map((a) => new ConsoleCreate(a)),
      arm,
      arm,
      fc.constant(new Restart()),
    ],
    { maxCommands, size: "max" },
  );
}

/**
 * The readings of OMS its reference leaves open, each of which a sequence may meet: how it answers a start during a
 * pending stop (or a stop during a pending start).
 */
export const OPPOSING_CALLS: readonly OpposingCall[] = ["reverses", "refused-until-done"];

/** Runs one command sequence against a fresh emulator (answering an opposing call as given) and provider process. */
export async function runSequence(
  settings: LevelSettings,
  cmds: Iterable<Cmd>,
  opposingCall: OpposingCall = "reverses",
): Promise<void> {
  const sim = await Sim.start(settings, opposingCall);
  // After each command, the rerun a failure two commands back deferred (see Sim.step).
  const thenDue = [...cmds].map((cmd): Cmd => ({
    check: (m) => cmd.check(m),
    run: async (m, r) => {
      await cmd.run(m, r);
      await r.rerunDue();
    },
    toString: () => cmd.toString(),
  }));
  try {
    await fc.asyncModelRun(() => ({ model: sim, real: sim }), thenDue);
  } finally {
    await sim.stop();
  }
}
