import { createPackedProgram, PROGRAM_DIR_ENV } from "./packed-program";

/** Packs and installs the package once for every test file that drives the real plugin. */
export default function globalSetup(): void {
  if (!process.env[PROGRAM_DIR_ENV]) process.env[PROGRAM_DIR_ENV] = createPackedProgram().dir;
}
