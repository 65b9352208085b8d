// The schema of oms:index:SyncEvent, in the words of the Node.js resource's docs; its keys are the lifecycle's.
import { MAX_EVENT_OBJECT_KEYS } from "../client/limits";
import type { PropertySpec } from "./schema-words";

/** The SyncEvent resource's type token. */
export const SYNC_EVENT = "oms:index:SyncEvent";

type Properties = Record<string, PropertySpec>;

/** The resource's spec; `connection` holds the connection inputs as the other resources describe them. */
export function syncEventSpec(connection: Properties): {
  description: string;
  inputProperties: Properties;
  requiredInputs: string[];
  properties: Properties;
  required: string[];
} {
  const inputProperties: Properties = {
    syncTaskId: {
      type: "string",
      description:
        "Id of an existing OMS sync task, synchronizing (OMS refuses events for a paused task). A change sends the event anew.",
      replaceOnChanges: true,
    },
    objectKeys: {
      type: "array",
      items: { type: "string" },
      description: `1–${MAX_EVENT_OBJECT_KEYS} object names (keys) to synchronize now, given plain: they are URL-encoded for OMS. A change sends the event anew.`,
      replaceOnChanges: true,
    },
    triggers: {
      type: "array",
      items: { $ref: "pulumi.json#/Any" },
      description: "Any values; a change sends the same event again (a new resource).",
      replaceOnChanges: true,
    },
    ...connection,
  };
  return {
    description:
      "A request that OMS synchronize named objects of a task now (`POST …/events`): `pulumi up` sends it once when the resource is created, and again only when `objectKeys`, `triggers` or the task change (a replace). Destroying it makes no call: OMS cannot take an event back. API authentication comes from the provider's settings; no start key is used.",
    inputProperties,
    requiredInputs: ["syncTaskId", "objectKeys"],
    properties: {
      ...inputProperties,
      status: { type: "integer", description: "The HTTP status OMS answered (2xx)." },
      requestId: { type: "string", description: "The gateway's request id, for a support ticket." },
      sentAt: { type: "string", description: "When the request was sent (ISO 8601)." },
    },
    required: ["syncTaskId", "objectKeys", "projectId", "status", "sentAt"],
  };
}
