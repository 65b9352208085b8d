/**
 * Returns `value` without its `undefined` fields (the object is changed in place). Pulumi property bags and JSON
 * outputs must not hold `undefined`.
 */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
