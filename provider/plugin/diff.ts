// A lifecycle's diff as the engine takes it. The lifecycle decides; this only says it in the protocol's terms, with
// a per-property detail for the preview's display.
import type { DiffResult } from "../core/lifecycle";
import { DiffResponse, PropertyDiff } from "@pulumi/pulumi/proto/provider_pb";
import { changed } from "../core/values";
import type { ResourceKeys } from "./schema";
import type { Bag } from "./values";

/**
 * The response for `result`. Each input the lifecycle replaces is listed as a replacement; each other input that
 * differs as an update, except those that only ever replace (a definition field is compared as OMS holds it, so the
 * lifecycle's verdict is the only one). A change that no input shows (keys rotated in config, a start or stop
 * recorded in flight) is an update with an empty detail: without one the engine would show its own comparison of the
 * stored inputs, where an imported resource's (which leave the stack's settings out) seem to gain them.
 */
export function diffResponse(result: DiffResult, olds: Bag, news: Bag, keys: ResourceKeys): DiffResponse {
  const response = new DiffResponse();
  const replaces = result.replaces ?? [];
  response.setChanges(
    result.changes === true
      ? DiffResponse.DiffChanges.DIFF_SOME
      : result.changes === false
        ? DiffResponse.DiffChanges.DIFF_NONE
        : DiffResponse.DiffChanges.DIFF_UNKNOWN,
  );
  response.setReplacesList(replaces);
  response.setDeletebeforereplace(result.deleteBeforeReplace === true);
  if (result.changes !== true) return response;

  const details = new Map<string, PropertyDiff>();
  for (const key of new Set([...replaces, ...keys.inputs])) {
    const replaced = replaces.includes(key);
    if (!replaced && (keys.replacing.includes(key) || !changed(olds, news, key))) continue;
    const kind = olds[key] === undefined ? "ADD" : news[key] === undefined ? "DELETE" : "UPDATE";
    const diff = new PropertyDiff();
    diff.setKind(PropertyDiff.Kind[replaced ? (`${kind}_REPLACE` as const) : kind]);
    diff.setInputdiff(true);
    details.set(key, diff);
  }
  response.setDiffsList([...details.keys()]);
  for (const [key, diff] of details) response.getDetaileddiffMap().set(key, diff);
  response.setHasdetaileddiff(true);
  return response;
}
