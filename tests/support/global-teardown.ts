import * as fs from "fs";
import * as path from "path";
import { PROGRAM_DIR_ENV } from "./packed-program";

/** Removes the throwaway program (and its tarball) made by the global setup. */
export default function globalTeardown(): void {
  const dir = process.env[PROGRAM_DIR_ENV];
  if (dir && path.basename(dir) === "program") fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}
