import { createPackedProgram, PROGRAM_DIR_ENV } from "./packed-program";

/**
 * Packs and installs the package once for every test file that drives the real plugin. `OMS_SYNC_PULUMI_VERSION`
 * picks the program's `@pulumi/pulumi` from the registry instead of the repo's (`npm run test:compat`).
 */
export default function globalSetup(): void {
  if (!process.env[PROGRAM_DIR_ENV]) {
    process.env[PROGRAM_DIR_ENV] = createPackedProgram(process.env.OMS_SYNC_PULUMI_VERSION || undefined).dir;
  }
}
