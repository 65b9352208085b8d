// What a resource's lifecycle answers, in the terms of neither door: the dynamic door (Pulumi's dynamic-provider
// plugin, through the serialized shims) and the `oms` plugin each translate these calls and results to their own.
import { detailsOf, OmsError } from "../errors/oms-error";
import type { SettingProblem } from "./config";

/** A property bag: checked inputs, stored outputs. */
export type Bag = Record<string, unknown>;

/** A bag a lifecycle returns: its resource's own inputs or outputs type, whatever shape the engine can store. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Returned = Record<string, any>;

/** Check: the checked inputs (defaults filled), and what is wrong with them. */
export interface CheckResult {
  inputs: Returned;
  failures?: SettingProblem[];
}

/** Diff: whether anything changes, which inputs replace the resource, and whether the old one goes first. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Create: the resource id and its outputs. */
export interface CreateResult {
  id: string;
  outs: Returned;
}

/** Read: the id (empty when the task is gone), the outputs and the inputs as OMS shows them. */
export interface ReadResult {
  id: string;
  props?: Returned;
  inputs?: Returned;
}

/** Update: the new outputs. */
export interface UpdateResult {
  outs: Returned;
}

/** The calls a lifecycle answers, as both doors make them. */
export interface Lifecycle {
  check(olds: unknown, news: Bag): Promise<CheckResult>;
  diff(id: string, olds: Bag, news: Bag): Promise<DiffResult>;
  create(props: Bag): Promise<CreateResult>;
  read(id: string, props: Bag): Promise<ReadResult>;
  update(id: string, olds: Bag, news: Bag): Promise<UpdateResult>;
  remove(id: string, props: Bag): Promise<void>;
}

/**
 * A failure after which the resource exists anyway (a create that made the task, an update that sent a start): the
 * engine must record it under `id` with `properties`, so that the next `up` converges it instead of creating another.
 * The OMS failure as told, with the fields Pulumi's dynamic-provider plugin reads from an error (`id`, `properties`,
 * `reasons`); the `oms` plugin packs the same into its status.
 */
export class RecordedFailure extends OmsError {
  readonly reasons: string[];

  constructor(
    told: OmsError,
    readonly id: string,
    readonly properties: Bag,
  ) {
    super(detailsOf(told));
    this.reasons = [this.message];
    // A door may print an error's stack (Pulumi's dynamic plugin does): the stable code says all a trace would.
    Object.defineProperty(this, "stack", { value: this.code, configurable: true });
  }
}
