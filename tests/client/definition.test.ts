// The definition table is the one place a SyncTask field is described: the create and start bodies, show parsing,
// the resource's check and adoption, and the table in docs/how-it-works.md all follow it. Each test walks every row,
// so a new row is covered the moment it is added.
import * as fs from "fs";
import * as path from "path";
import { DEFINITION_FIELDS } from "../../provider/client/definition";
import { createBody, kmsFields, parseTask } from "../../provider/client/wire";
import type { SyncTaskDefinition } from "../../provider/client/types";
import { taskLifecycle } from "../../provider";
import { canonical, mismatches } from "../../provider/core/sync-task/definition";
import { definitionTableCells, definitionTableMarkdown, tableCellsAfter } from "../support/definition-table";
import { TASK_KEYS } from "../support/secrets";
import { useStack } from "../support/in-process";

const KMS = "0d146099-8f9e-4bd4-a0a2-4c2f1d0b8e55";
/** A valid value for every field, by input name. */
const VALID: Required<SyncTaskDefinition> = {
  srcCloudType: "HuaweiCloud",
  srcRegion: "cn-east-3",
  srcBucket: "source",
  srcKmsKeyId: KMS,
  dstKmsKeyId: KMS,
  dstRegion: "cn-north-4",
  dstBucket: "destination",
  description: "nightly",
  enableMetadataMigration: true,
  enableRestore: true,
  dstStoragePolicy: "IA",
  appId: "1250000000",
  sourceCdn: { domain: "cdn.example.com", protocol: "https", authenticationType: "NONE" },
  sourceCdnKmsKeyId: KMS,
  consistencyCheck: "crc64",
};
const REQUIRED = Object.fromEntries(
  DEFINITION_FIELDS.filter((f) => f.required).map((f) => [f.input, VALID[f.input]]),
) as unknown as SyncTaskDefinition;

describe("the definition table", () => {
  it("has a valid value in this test for every row, and each row's rule accepts it", () => {
    expect(Object.keys(VALID).sort()).toEqual(DEFINITION_FIELDS.map((f) => f.input).sort());
    for (const f of DEFINITION_FIELDS)
      expect([f.input, f.rule(VALID[f.input], () => false)]).toEqual([f.input, undefined]);
  });

  it.each(DEFINITION_FIELDS.map((f) => [f.input, f] as const))(
    "%s: create sends it under its wire name only when it is set, and start repeats it only when its row says so",
    (input, f) => {
      const withIt = createBody({ ...REQUIRED, sourceCdn: VALID.sourceCdn, [input]: VALID[input] }, TASK_KEYS);
      const wire = f.wire.startsWith("source_cdn.") ? undefined : f.wire;
      if (f.required)
        expect(() => createBody({ ...REQUIRED, [input]: undefined } as SyncTaskDefinition, TASK_KEYS)).toThrow(
          `${input} is required`,
        );
      else if (wire)
        expect(createBody({ ...REQUIRED, [input]: undefined } as SyncTaskDefinition, TASK_KEYS)).not.toHaveProperty(
          wire,
        );
      if (wire) expect(withIt).toHaveProperty(wire);
      else expect((withIt.source_cdn as Record<string, unknown>).kms_key_id).toBe(KMS);
      const started = kmsFields({ [input]: VALID[input] } as never, "start");
      if ("start" in f && f.start) expect(started).toEqual({ [f.start.typeField]: "KMS", [f.start.idField]: KMS });
      else expect(started).toEqual({});
    },
  );

  it("sends a create body in the order Huawei's SDK does, keys where the SDK puts them", () => {
    const body = createBody(VALID, { ...TASK_KEYS, sourceCdnAuthenticationKey: "cdn-key-LEAKCANARY" });
    expect(Object.keys(body)).toEqual([
      "src_cloud_type",
      "src_region",
      "src_bucket",
      "src_ak",
      "src_sk",
      "src_crypto_type",
      "src_kms_key_id",
      "dst_ak",
      "dst_sk",
      "dst_crypto_type",
      "dst_kms_key_id",
      "dst_region",
      "dst_bucket",
      "description",
      "enable_metadata_migration",
      "enable_restore",
      "dst_storage_policy",
      "app_id",
      "source_cdn",
      "consistency_check",
    ]);
    expect(body.source_cdn).toEqual({
      domain: "cdn.example.com",
      protocol: "https",
      authentication_type: "NONE",
      authentication_key: "cdn-key-LEAKCANARY",
      crypto_type: "KMS",
      kms_key_id: KMS,
    });
  });

  it.each(DEFINITION_FIELDS.map((f) => [f.input, f] as const))(
    "%s: create refuses a value its rule refuses, sending nothing",
    (input) => {
      expect(() => createBody({ ...REQUIRED, [input]: 12345 } as never, TASK_KEYS)).toThrow(input);
    },
  );

  it("parses every field show reports from its wire name, and no other", () => {
    const wire: Record<string, unknown> = { sync_task_id: "t", status: "STOPPED" };
    for (const f of DEFINITION_FIELDS)
      wire[f.wire] = f.input === "enableRestore" || f.input === "enableMetadataMigration" ? true : `v-${f.input}`;
    const task = parseTask(wire, "show") as unknown as Record<string, unknown>;
    for (const f of DEFINITION_FIELDS) {
      if ("shown" in f && f.shown)
        expect([f.input, task[f.input]]).toEqual([f.input, f.shown === "boolean" ? true : `v-${f.input}`]);
      else expect([f.input, task[f.input]]).toEqual([f.input, undefined]);
    }
  });

  it("compares on adoption exactly the shown fields, with OMS's defaults and answers applied", () => {
    const declared = { ...REQUIRED, description: "a" } as never;
    const shownDifferently = {
      syncTaskId: "t",
      status: "STOPPED",
      ...REQUIRED,
      description: "b",
      dstStoragePolicy: "STANDARD",
      consistencyCheck: "size_last_modified",
    };
    expect(mismatches(declared, shownDifferently)).toEqual(['description is "b" in OMS but "a" in the program']);
    expect(canonical({ consistencyCheck: "no_check" }, "consistencyCheck")).toBe("transmission");
    expect(canonical({}, "srcCloudType")).toBe("Aliyun");
  });

  it.each(DEFINITION_FIELDS.map((f) => [f.input] as const))(
    "%s: the resource's check refuses a bad value, naming the field",
    async (input) => {
      useStack("http://127.0.0.1:1");
      const { failures } = await taskLifecycle.check({}, { ...REQUIRED, [input]: 12345 });
      expect(failures).toEqual(
        expect.arrayContaining([expect.objectContaining({ property: input, reason: expect.stringContaining(input) })]),
      );
    },
  );

  it("is docs/how-it-works.md's SyncTask table, cell by cell (paste the rendering below there if this fails)", () => {
    const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "how-it-works.md"), "utf8");
    const cells = tableCellsAfter(page, "<!-- definition-table");
    if (JSON.stringify(cells) !== JSON.stringify(definitionTableCells())) {
      throw new Error(
        `docs/how-it-works.md's SyncTask table differs from the definition table; it should read:\n\n${definitionTableMarkdown()}\n`,
      );
    }
  });
});
