// The few rules of Pulumi's engine the model needs, over one provider process: which calls `up`, `refresh`,
// `destroy` and `get` make for one resource, and what the state records after each (success or failure).
import { CallFailure, InvariantViolation, type Kind, type ProviderProcess, type Props } from "./driver";

/** One resource as Pulumi state holds it. */
export interface StateEntry {
  kind: Kind;
  id: string;
  inputs: Props;
  outputs: Props;
  /** Created, but its create failed afterwards: the next `up` updates it whatever the diff says. */
  initErrors: boolean;
}

/** A check that refused the program; the model's programs are valid, so this is a failure of the model run. */
export class CheckRefused extends Error {
  constructor(
    readonly kind: Kind,
    readonly failures: unknown[],
  ) {
    super(`${kind} check refused the program: ${JSON.stringify(failures)}`);
  }
}

/** Every call an engine makes, with how long it took; the model audits them. */
export interface CallRecord {
  method: string;
  kind: Kind;
  ms: number;
  /** The resource's timeoutSeconds for this call (the stored or new inputs'). */
  timeoutSeconds: number;
  /** Result or failure text, for the secret audit (the `credentials` input, which the engine stores as a secret, removed). */
  text: string;
  failure?: CallFailure;
}

const DEFAULT_TIMEOUT_SECONDS = 300;

function withoutCredentials(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "credentials") continue;
    copy[key] = key === "inputs" || key === "props" || key === "outs" ? withoutCredentials(inner) : inner;
  }
  return copy;
}

export class Engine {
  readonly state = new Map<string, StateEntry>();
  readonly calls: CallRecord[] = [];
  /** Ids of the SyncTasks whose delete succeeded. */
  readonly deleted: string[] = [];

  /**
   * @param limitMs the longest a call may take for a resource with this timeoutSeconds (invariant 7); a call still
   * running this long after is abandoned as a hang.
   */
  constructor(
    public process: ProviderProcess,
    private readonly limitMs: (timeoutSeconds: number) => number,
  ) {}

  private async call<T>(method: string, kind: Kind, bag: Props | undefined, work: () => Promise<T>): Promise<T> {
    const timeoutSeconds = typeof bag?.timeoutSeconds === "number" ? bag.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    const began = Date.now();
    const hangAfterMs = this.limitMs(timeoutSeconds) + 5_000;
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new InvariantViolation(7, `${kind}.${method} still running after ${hangAfterMs} ms`)),
        hangAfterMs,
      );
    });
    try {
      const result = await Promise.race([work(), watchdog]);
      this.calls.push({
        method,
        kind,
        ms: Date.now() - began,
        timeoutSeconds,
        text: JSON.stringify(withoutCredentials(result) ?? null),
      });
      return result;
    } catch (error) {
      if (error instanceof InvariantViolation) throw error;
      const failure =
        error instanceof CallFailure ? error : new CallFailure(method, kind, String(error), false, undefined);
      this.calls.push({ method, kind, ms: Date.now() - began, timeoutSeconds, text: failure.text, failure });
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  private async deleteTask(kind: Kind, id: string, outputs: Props): Promise<void> {
    await this.call("delete", kind, outputs, () => this.process.delete(kind, id, outputs));
    if (kind === "SyncTask") this.deleted.push(id);
  }

  /** `pulumi up` of one resource declared with `program`: check, then create, or diff and update or replace. */
  async up(name: string, kind: Kind, program: Props): Promise<void> {
    const old = this.state.get(name);
    const p = this.process;
    const checked = await this.call("check", kind, program, () => p.check(kind, old?.inputs ?? {}, program));
    if (checked.failures.length > 0) throw new CheckRefused(kind, checked.failures);
    const inputs = checked.inputs;
    if (!old) return this.create(name, kind, inputs);
    const diff = await this.call("diff", kind, inputs, () => p.diff(kind, old.id, old.outputs, inputs));
    if (diff.replaces.length > 0) {
      if (diff.deleteBeforeReplace) {
        await this.deleteTask(kind, old.id, old.outputs);
        this.state.delete(name);
        return this.create(name, kind, inputs);
      }
      await this.create(name, kind, inputs);
      await this.deleteTask(kind, old.id, old.outputs);
      return;
    }
    if (!diff.changes && !old.initErrors) {
      this.state.set(name, { ...old, inputs });
      return;
    }
    try {
      const outputs = await this.call("update", kind, inputs, () => p.update(kind, old.id, old.outputs, inputs));
      this.state.set(name, { kind, id: old.id, inputs, outputs, initErrors: false });
    } catch (error) {
      // A partial failure of an update is recorded as one of a create: the new inputs, the outputs the provider
      // reported, and init errors that make the next `up` an update whatever the diff says.
      if (error instanceof CallFailure && error.initFailed) {
        this.state.set(name, { kind, id: old.id, inputs, outputs: error.initFailed.properties, initErrors: true });
      }
      throw error;
    }
  }

  private async create(name: string, kind: Kind, inputs: Props): Promise<void> {
    try {
      const { id, outs } = await this.call("create", kind, inputs, () => this.process.create(kind, inputs));
      this.state.set(name, { kind, id, inputs, outputs: outs, initErrors: false });
    } catch (error) {
      // The engine records a resource that was created but failed to initialize, under the id it was given.
      if (error instanceof CallFailure && error.initFailed) {
        const { id, properties } = error.initFailed;
        this.state.set(name, { kind, id, inputs, outputs: properties, initErrors: true });
      }
      throw error;
    }
  }

  /** `pulumi refresh` of one resource: read; an empty id drops it from state. */
  async refresh(name: string): Promise<void> {
    const entry = this.state.get(name);
    if (!entry) return;
    const { kind, id } = entry;
    const read = await this.call("read", kind, entry.outputs, () =>
      this.process.read(kind, id, entry.outputs, entry.inputs),
    );
    if (!read.id) {
      this.state.delete(name);
      return;
    }
    // Older plugins drop the inputs a read returns; the stored ones stay then. A read that succeeds clears the init
    // errors (the engine records the ones a read reports, and a read here reports none).
    this.state.set(name, {
      ...entry,
      id: read.id,
      outputs: read.props,
      inputs: read.inputs ?? entry.inputs,
      initErrors: false,
    });
  }

  /** `pulumi destroy` of one resource. */
  async destroy(name: string): Promise<void> {
    const entry = this.state.get(name);
    if (!entry) return;
    await this.deleteTask(entry.kind, entry.id, entry.outputs);
    this.state.delete(name);
  }

  /** `Resource.get(name, id)`: a read with the few properties `get` registers; nothing enters state. */
  async get(kind: Kind, id: string): Promise<Props> {
    const props = kind === "SyncTaskState" ? { syncTaskId: id } : {};
    const read = await this.call("read", kind, undefined, () => this.process.read(kind, id, props));
    return read.props;
  }
}
