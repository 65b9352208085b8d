/** The fixed, obviously fake values the `oms-emulator` command starts with: they exist only inside the emulator. */
export const EMULATOR_PROJECT_ID = "0emulatedproject0000000000000000";
export const EMULATOR_API_KEY = { accessKey: "EMULATORACCESSKEY000", secretKey: "emulator-secret-key" };
export const EMULATOR_TASK_KEYS = {
  srcAk: "emulator-src-ak",
  srcSk: "emulator-src-sk",
  dstAk: "emulator-dst-ak",
  dstSk: "emulator-dst-sk",
};
/** Port the command listens on unless told otherwise. */
export const DEFAULT_EMULATOR_PORT = 8787;
