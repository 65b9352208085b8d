// What a resource is, written once: its inputs with their types and words, its outputs, which are secret, which are
// unknown until applied, which replace. The schema, both doors' input handling, the plugin's preview and diff detail,
// the lifecycles' input keys and replace rules, and the policy pack's view of the types all derive from it.
import { changed } from "./values";
import type { Bag, DiffResult } from "./lifecycle";

/** One property: its type (as the package schema spells types) and what it means. */
export interface Property {
  type?: "string" | "number" | "boolean" | "integer" | "array";
  /** A named object type (`#/types/<token>`), or `pulumi.json#/Any`. */
  $ref?: string;
  /** The items of an `array`. */
  items?: { type?: "string" | "number" | "boolean" | "integer"; $ref?: string };
  description: string;
  /** Stored only as a secret, in every door. */
  secret?: boolean;
  /** A change replaces the resource (the schema's `replaceOnChanges`). */
  replaceOnChanges?: boolean;
}

/** The properties of an object, by name, in the order the schema lists them. */
export type Properties = Record<string, Property>;

/** A resource: the one description its schema entry, its doors and its lifecycle read. */
export interface ResourceDescriptor {
  /** The type name: `oms:index:<name>` in the plugin, `pulumi-nodejs:dynamic/oms:<name>` in the dynamic door. */
  name: string;
  description: string;
  inputs: Properties;
  requiredInputs: readonly string[];
  /** Outputs that are not inputs: unknown until a create or update has run. */
  outputs: Properties;
  /** Inputs the outputs describe in other words, by key (an adopted id that is always the resource's id). */
  outputWords?: Record<string, string>;
  /** Outputs always set once created (the schema's `required`). */
  alwaysSet: readonly string[];
  /** Whether a replacement deletes the old resource before it creates the new one. */
  deleteBeforeReplace: boolean;
}

/** A function: its arguments and results. */
export interface FunctionDescriptor {
  /** The function name: `oms:index:<name>` in the plugin, an exported function in Node.js. */
  name: string;
  description: string;
  arguments: Properties;
  requiredArguments: readonly string[];
  results: Properties;
  alwaysReturned: readonly string[];
}

/** An object type the properties refer to (`#/types/<token>`). */
export interface ObjectTypeDescriptor {
  name: string;
  description: string;
  properties: Properties;
  required: readonly string[];
}

/** The plugin's token of a resource, function or type. */
export const pluginToken = (d: { name: string }): string => `oms:index:${d.name}`;
/** The type the engine gives a dynamic resource of this package. */
export const dynamicToken = (d: { name: string }): string => `pulumi-nodejs:dynamic/oms:${d.name}`;
/** A reference to an object type. */
export const typeRef = (d: { name: string }): string => `#/types/${pluginToken(d)}`;

export const inputKeys = (d: ResourceDescriptor): string[] => Object.keys(d.inputs);
export const outputKeys = (d: ResourceDescriptor): string[] => Object.keys(d.outputs);
/** Inputs and outputs stored only as secrets. */
export const secretKeys = (d: ResourceDescriptor): string[] =>
  Object.entries({ ...d.inputs, ...d.outputs })
    .filter(([, p]) => p.secret)
    .map(([key]) => key);
/** Inputs whose change replaces the resource. */
export const replaceKeys = (d: ResourceDescriptor): string[] =>
  Object.keys(d.inputs).filter((key) => d.inputs[key].replaceOnChanges);

/** The inputs part of stored properties: outputs and anything else dropped. */
export function inputsOf<T>(d: ResourceDescriptor, props: Bag): T {
  const inputs: Bag = {};
  for (const key of inputKeys(d)) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs as T;
}

/** How a resource's diff departs from comparing its inputs. */
export interface DiffOptions {
  /** Whether `key` differs, when this resource compares it its own way; `undefined` for the default comparison. */
  differs?: (key: string) => boolean | undefined;
  /** A change that no input shows (keys rotated in config, a request in flight). */
  alsoChanged?: () => boolean;
}

/**
 * A diff from the descriptor: each replacing input that changed replaces; any other input that changed, or
 * `alsoChanged` (what no input shows, such as rotated keys), is an update. `differs` compares a key its own way when
 * it answers (a definition field as OMS holds it); by default a key differs when unknown or not equal.
 */
export function diffOf(d: ResourceDescriptor, olds: Bag, news: Bag, options: DiffOptions = {}): DiffResult {
  const differs = (key: string) => options.differs?.(key) ?? changed(olds, news, key);
  const replaces = replaceKeys(d).filter(differs);
  const updates = inputKeys(d).some((key) => !d.inputs[key].replaceOnChanges && differs(key));
  return {
    changes: replaces.length > 0 || updates || (options.alsoChanged?.() ?? false),
    replaces,
    deleteBeforeReplace: replaces.length > 0 && d.deleteBeforeReplace,
  };
}

/** A lifecycle's `diff` from the descriptor: {@link diffOf} with the options the resource derives from the bags. */
export function diffing(
  d: ResourceDescriptor,
  options: (olds: Bag, news: Bag) => DiffOptions = () => ({}),
): (id: string, olds: Bag, news: Bag) => Promise<DiffResult> {
  return async (_id, olds, news) => diffOf(d, olds, news, options(olds, news));
}
