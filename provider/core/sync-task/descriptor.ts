// SyncTask, described once: a row per definition field (from the definition table) and a line per other input; the
// schema, both doors and the lifecycle take its inputs, outputs, secrets and replace rules from here.
import { DEFINITION_FIELDS, type DefinitionKey } from "../../client/definition";
import { typeRef, type Property, type ResourceDescriptor } from "../descriptor";
import {
  ALWAYS_SET,
  CONNECTION,
  DIGEST,
  replacing,
  RUNNING_OUTPUTS,
  SOURCE_CDN_TYPE,
  STATE,
  string,
  TASK_OUTPUTS,
} from "../properties";

/** The type of each definition field; each row's words come from the table itself. */
const DEFINITION_TYPES: Record<DefinitionKey, Pick<Property, "type" | "$ref">> = {
  srcCloudType: { type: "string" },
  srcRegion: { type: "string" },
  srcBucket: { type: "string" },
  srcKmsKeyId: { type: "string" },
  dstKmsKeyId: { type: "string" },
  dstRegion: { type: "string" },
  dstBucket: { type: "string" },
  description: { type: "string" },
  enableMetadataMigration: { type: "boolean" },
  enableRestore: { type: "boolean" },
  dstStoragePolicy: { type: "string" },
  appId: { type: "string" },
  sourceCdn: { $ref: typeRef(SOURCE_CDN_TYPE) },
  sourceCdnKmsKeyId: { type: "string" },
  consistencyCheck: { type: "string" },
};

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One property per definition row, in the docs' words: values, OMS's default, when it is sent, adoption. */
function definitionProperties(): Record<DefinitionKey, Property> {
  const properties = {} as Record<DefinitionKey, Property>;
  for (const f of DEFINITION_FIELDS) {
    const sentences = [
      `${capitalized(f.doc)}: ${f.type}.`,
      "omsDefault" in f ? `OMS assumes \`${JSON.stringify(f.omsDefault)}\` without it.` : undefined,
      "start" in f && f.start ? "Sent in the create call and in every start." : undefined,
      "shown" in f && f.shown ? undefined : "OMS never shows it, so an adopted task takes it as declared.",
      f.change === "replace" ? "A change replaces the task, deleting the old one first." : undefined,
    ];
    properties[f.input] = {
      ...DEFINITION_TYPES[f.input],
      description: sentences.filter(Boolean).join(" "),
      ...(f.change === "replace" ? { replaceOnChanges: true } : {}),
    };
  }
  return properties;
}

const REQUIRED_DEFINITION: string[] = DEFINITION_FIELDS.filter((f) => f.required).map((f) => f.input);

export const SYNC_TASK = {
  name: "SyncTask",
  description:
    "A whole OMS sync task: `pulumi up` creates it (or adopts an existing one by `syncTaskId`), starts or pauses it and waits until OMS shows it; `pulumi destroy` pauses and deletes it. A change to its definition replaces it, deleting the old task first (OMS allows 5 per account). Keep the task on destroy with the `retainOnDelete` resource option. The resource id is the sync task id; `pulumi import oms:index:SyncTask <name> <task id>` imports one.",
  inputs: {
    ...definitionProperties(),
    syncTaskId: replacing(
      "Adopt this existing task instead of creating one. Its definition must match the inputs (create fails naming each field that differs); `sourceCdn` and the KMS key ids are taken as declared. A new id replaces the resource.",
    ),
    state: string(`${STATE} Default \`"started"\`.`),
    ...CONNECTION,
  },
  requiredInputs: REQUIRED_DEFINITION,
  outputs: { ...RUNNING_OUTPUTS, ...TASK_OUTPUTS, ...DIGEST },
  outputWords: { syncTaskId: "The sync task id (also the resource id)." },
  alwaysSet: [...ALWAYS_SET, ...REQUIRED_DEFINITION],
  deleteBeforeReplace: true,
} satisfies ResourceDescriptor;
