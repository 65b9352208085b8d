// `pulumi-oms-sync/testing`: hooks for tests and tools that run the lifecycles in their own process. Programs never
// need them. They act on the whole process, as the provider's own settings do.
export { tuning, useConfig } from "./core/settings";
export { envLookup, stackLookup } from "./core/config";
export type { ConfigLookup, ConfigKey } from "./core/config";
export { forgetSecretsForTests } from "./errors/redact";
