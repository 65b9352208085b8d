// `pulumi-oms-sync/emulator`: a local OMS v2 sync-task service for trying the provider and for testing Pulumi
// programs without Huawei Cloud. It follows the documented wire format and shares no code with the client.
export * from "./oms-emulator";
export type { AkSkCredential } from "./aksk-verifier";
export { DEFAULT_EMULATOR_PORT, EMULATOR_API_KEY, EMULATOR_PROJECT_ID, EMULATOR_TASK_KEYS } from "./defaults";
