// SyncEvent, described once: the schema, both doors and the lifecycle take its inputs, outputs and replace rules
// from here.
import { MAX_EVENT_OBJECT_KEYS } from "../../client/limits";
import type { ResourceDescriptor } from "../descriptor";
import { CONNECTION, integer, string } from "../properties";

const { projectId, region, endpoint } = CONNECTION;

export const SYNC_EVENT = {
  name: "SyncEvent",
  description:
    "A request that OMS synchronize named objects of a task now (`POST …/events`): `pulumi up` sends it once when the resource is created, and again only when `objectKeys`, `triggers` or the task change (a replace). Destroying it makes no call: OMS cannot take an event back. API authentication comes from the provider's settings; no start key is used.",
  inputs: {
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
    // The connection as the task resources have it, `endpoint` the only one that changes in place.
    projectId: {
      ...projectId,
      description: projectId.description.replace("replaces the resource", "sends the event anew"),
    },
    region: { ...region, description: region.description.replace("replaces the resource", "sends the event anew") },
    endpoint: {
      ...endpoint,
      description: endpoint.description.replace("updates the resource with no API call", "makes no call"),
    },
  },
  requiredInputs: ["syncTaskId", "objectKeys"],
  outputs: {
    status: integer("The HTTP status OMS answered (2xx)."),
    requestId: string("The gateway's request id, for a support ticket."),
    sentAt: string("When the request was sent (ISO 8601)."),
  },
  alwaysSet: ["syncTaskId", "objectKeys", "projectId", "status", "sentAt"],
  deleteBeforeReplace: false,
} satisfies ResourceDescriptor;
