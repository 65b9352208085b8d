// The SyncEvent lifecycle: a one-time request that OMS synchronize named objects now. Create sends it (once: the
// call is not safe to repeat), a change of what it asks for replaces it (a new request), read and delete make no
// call. The serialized provider loads this module by name from the installed package.
import type { CreateResult, ReadResult, UpdateResult } from "../lifecycle";
import { objectKeysProblem } from "../../client/wire";
import { compact } from "../../utils/compact";
import { checking, checkConnection, checkTaskId, type Checking } from "../check";
import { clientFor, storedConnection } from "../settings";
import { surface } from "../failures";
import { describe, isUnknown } from "../values";
import { diffing, inputsOf as inputsIn, outputKeys } from "../descriptor";
import { SYNC_EVENT } from "./descriptor";
import type { SyncEventInputs, SyncEventOutputs } from "./types";

const RESOURCE = SYNC_EVENT.name;
/** What OMS answered, recorded at create. */
const OUTPUT_KEYS = outputKeys(SYNC_EVENT);

function checkEvent(c: Checking): void {
  checkTaskId(c, "the id of an existing OMS sync task");
  const keys = c.news.objectKeys;
  // A preview may not know the list, or some names in it, yet.
  if (isUnknown(keys) || (Array.isArray(keys) && keys.some(isUnknown))) c.inputs.objectKeys = keys;
  else {
    const problem = objectKeysProblem(keys);
    if (problem) c.failures.push({ property: "objectKeys", reason: `${problem}; got ${describe(keys)}` });
    else c.inputs.objectKeys = keys;
  }
  const triggers = c.news.triggers;
  if (triggers === undefined || triggers === null) return checkConnection(c);
  if (isUnknown(triggers) || Array.isArray(triggers)) c.inputs.triggers = triggers;
  else {
    c.failures.push({
      property: "triggers",
      reason: `triggers must be a list of values whose change sends the event again; got ${describe(triggers)}`,
    });
  }
  checkConnection(c);
}

/** Validates inputs (1–10 object names) and fills the connection from config. */
export const check = checking(SYNC_EVENT, checkEvent);

/** `objectKeys`, `triggers`, `syncTaskId`, `projectId` and `region` replace (a new event); `endpoint` updates. */
export const diff = diffing(SYNC_EVENT);

/** Sends the event: one POST with the object keys, never repeated; records OMS's status and request id. */
export async function create(inputs: Record<string, unknown>): Promise<CreateResult> {
  const given = inputs as unknown as SyncEventInputs;
  try {
    const client = clientFor(storedConnection(inputs), given.syncTaskId);
    const answer = await client.syncEvents(given.syncTaskId, given.objectKeys);
    const outs: SyncEventOutputs = compact({
      ...inputsOf(inputs),
      status: answer.status,
      requestId: answer.requestId,
      sentAt: new Date(answer.sentAt).toISOString(),
    });
    return { id: `${given.syncTaskId}:${answer.sentAt}`, outs };
  } catch (error) {
    return surface(error, RESOURCE);
  }
}

/** No call: an event is history, and OMS has no call that reads one back. */
export async function read(id: string, props: Record<string, unknown>): Promise<ReadResult> {
  return { id, props, inputs: inputsOf(props) };
}

/** Only `endpoint` updates, with no call; what OMS answered stays recorded. */
export async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<UpdateResult> {
  const recorded = Object.fromEntries(OUTPUT_KEYS.filter((k) => olds[k] !== undefined).map((k) => [k, olds[k]]));
  return { outs: { ...inputsOf(news), ...recorded } };
}

/** No call: OMS cannot take an event back, so delete only forgets it. */
export async function remove(): Promise<void> {}

function inputsOf(props: Record<string, unknown>): SyncEventInputs {
  return inputsIn<SyncEventInputs>(SYNC_EVENT, props);
}
