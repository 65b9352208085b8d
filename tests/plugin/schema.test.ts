// The schema is one function's output, and it says what the lifecycles do: the inputs each check takes, the inputs
// each diff replaces on, the secrets. These run in process: the schema needs no plugin.
import * as fs from "fs";
import * as path from "path";
import { SECRET_KEYS } from "../../provider/core/config";
import * as taskLifecycle from "../../provider/core/sync-task/lifecycle";
import * as stateLifecycle from "../../provider/core/sync-task-state/lifecycle";
import * as eventLifecycle from "../../provider/core/sync-event/lifecycle";
import type { Lifecycle } from "../../provider/core/lifecycle";
import {
  buildSchema,
  GET_SYNC_TASK,
  GET_SYNC_TASKS,
  GET_SYNC_TASK_STATISTICS,
  SYNC_EVENT,
  SYNC_TASK,
  SYNC_TASK_STATE,
} from "../../provider/plugin/schema";
import { GET_SYNC_TASKS_ARGS } from "../../provider/core/functions/get-sync-tasks";
import { GET_SYNC_TASK_STATISTICS_ARGS } from "../../provider/core/functions/get-sync-task-statistics";
import { TASK_KEYS } from "../support/secrets";

const schema = buildSchema();
const LIFECYCLES: Record<string, Lifecycle> = {
  [SYNC_TASK]: taskLifecycle,
  [SYNC_TASK_STATE]: stateLifecycle,
  [SYNC_EVENT]: eventLifecycle,
};
const BASE: Record<string, Record<string, unknown>> = {
  [SYNC_TASK]: {
    srcRegion: "us-east-1",
    srcBucket: "a",
    dstRegion: "cn-north-4",
    dstBucket: "b",
    enableRestore: false,
  },
  [SYNC_TASK_STATE]: { syncTaskId: "t-1" },
  [SYNC_EVENT]: { syncTaskId: "t-1", objectKeys: ["a"], triggers: [1] },
};

/** A value of `key` that differs from `old`, of the same kind. */
function another(key: string, old: unknown): unknown {
  if (typeof old === "boolean") return !old;
  if (key === "timeoutSeconds") return 60;
  if (key === "credentials") return { ...TASK_KEYS, srcSk: "rotated" };
  if (key === "sourceCdn") return { domain: "cdn.example.com", protocol: "https", authenticationType: "NONE" };
  return `${String(old ?? "x")}-2`;
}

describe("the package schema", () => {
  it("is committed as schema.json, exactly as the generator writes it (`npm run schema` rewrites it)", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8"));
    expect(committed).toEqual(schema);
  });

  it("names this repository's GitHub releases as pluginDownloadURL, so every generated SDK can fetch the plugin", () => {
    expect(schema.pluginDownloadURL).toBe("github://api.github.com/pulumi-oms-sync/pulumi-oms-sync");
  });

  it("declares the package oms, both resources, the functions and each language's package", () => {
    expect(schema.name).toBe("oms");
    expect(Object.keys(schema.resources).sort()).toEqual([SYNC_EVENT, SYNC_TASK, SYNC_TASK_STATE]);
    expect(Object.keys(schema.functions)).toEqual([GET_SYNC_TASK, GET_SYNC_TASKS, GET_SYNC_TASK_STATISTICS]);
    expect(schema.language).toMatchObject({
      python: { packageName: "pulumi_oms_sync" },
      go: { importBasePath: "github.com/pulumi-oms-sync/pulumi-oms-sync/sdk/go/oms" },
      csharp: { rootNamespace: "Pulumi", namespaces: { oms: "OmsSync" } },
      nodejs: { packageName: "@pulumi-oms-sync/oms" },
    });
    expect(schema.resources[SYNC_TASK].requiredInputs).toEqual(["srcRegion", "srcBucket", "dstRegion", "dstBucket"]);
    expect(schema.resources[SYNC_TASK_STATE].requiredInputs).toEqual(["syncTaskId", "state"]);
  });

  it("lists as each shared function's arguments exactly those its call checks, and the connection", () => {
    const connection = ["projectId", "region", "endpoint"];
    expect(Object.keys(schema.functions[GET_SYNC_TASKS].inputs.properties).sort()).toEqual(
      [...GET_SYNC_TASKS_ARGS, ...connection].sort(),
    );
    expect(Object.keys(schema.functions[GET_SYNC_TASK_STATISTICS].inputs.properties).sort()).toEqual(
      [...GET_SYNC_TASK_STATISTICS_ARGS, ...connection].sort(),
    );
  });

  it("has the provider's settings as config and as provider inputs, the key settings secret", () => {
    const variables = schema.config.variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "accessKey",
        "secretKey",
        "securityToken",
        "token",
        "srcAk",
        "srcSk",
        "dstAk",
        "dstSk",
        "sourceCdnAuthenticationKey",
        "projectId",
        "region",
        "endpoint",
      ].sort(),
    );
    const secret = Object.keys(variables).filter((key) => variables[key].secret);
    expect(secret.sort()).toEqual([...SECRET_KEYS].sort());
    expect(schema.provider.inputProperties).toEqual(variables);
    expect(variables.srcSk.description).toContain("`pulumi config set --secret oms:srcSk <value>`");
  });

  it("marks as secret exactly the outputs that hold keys or their digest", () => {
    for (const token of [SYNC_TASK, SYNC_TASK_STATE]) {
      const { properties, inputProperties } = schema.resources[token];
      expect(Object.keys(properties).filter((key) => properties[key].secret)).toEqual([
        "credentials",
        "startKeysDigest",
      ]);
      expect(Object.keys(inputProperties).filter((key) => inputProperties[key].secret)).toEqual(["credentials"]);
    }
  });

  it.each([SYNC_TASK, SYNC_TASK_STATE, SYNC_EVENT])(
    "lists as %s's inputs exactly those its lifecycle's check takes",
    async (token) => {
      const { failures } = await LIFECYCLES[token].check({}, { notAnInput: 1 });
      const listed = /inputs are (.*)$/.exec(failures?.[0].reason ?? "")?.[1].split(", ");
      expect(failures?.[0].property).toBe("notAnInput");
      expect(listed).toEqual(Object.keys(schema.resources[token].inputProperties));
    },
  );

  it.each([SYNC_TASK, SYNC_TASK_STATE, SYNC_EVENT])(
    "marks replaceOnChanges on exactly the %s inputs whose change its lifecycle's diff replaces",
    async (token) => {
      const olds = { ...BASE[token], state: "started", projectId: "p-1", region: "cn-north-4", timeoutSeconds: 300 };
      const replacing: string[] = [];
      for (const key of Object.keys(schema.resources[token].inputProperties)) {
        const { replaces } = await LIFECYCLES[token].diff("t-1", olds, {
          ...olds,
          [key]: another(key, olds[key as keyof typeof olds]),
        });
        if (replaces?.includes(key)) replacing.push(key);
      }
      const { inputProperties, properties } = schema.resources[token];
      expect(Object.keys(inputProperties).filter((key) => inputProperties[key].replaceOnChanges)).toEqual(replacing);
      expect(Object.keys(properties).filter((key) => properties[key].replaceOnChanges)).toEqual(replacing);
    },
  );
});
