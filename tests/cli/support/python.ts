// What a Python program on the `oms` plugin needs, as docs/languages.md tells a user to make it: the program as the
// page prints it, and the Python SDK its `pulumi package gen-sdk` command writes from schema.json.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../support/packed-program";
import { sdkgenCliDir } from "./cli";

/** PyPI's `pulumi` and what it pulls in, pinned (pip installs them with `-r`). */
export const PYTHON_REQUIREMENTS = path.join(REPO, "tests", "cli", "programs", "python", "requirements.txt");

const languagesPage = () => fs.readFileSync(path.join(REPO, "docs", "languages.md"), "utf8");

/** The Python program of docs/languages.md: the ```python block after "Python (`pip install ./sdk/python`)". */
export function pythonProgramOfLanguagesPage(): string {
  const match = /^Python \(`pip install \.\/sdk\/python`\):\n\n```python\n([\s\S]*?)^```$/m.exec(languagesPage());
  if (!match) throw new Error("docs/languages.md has no Python program after 'Python (`pip install ./sdk/python`):'");
  return match[1];
}

/**
 * Runs docs/languages.md's `pulumi package gen-sdk schema.json --language python --out sdk` in `dir` (with the CLI
 * the pinned build makes for gen-sdk, and schema.json copied there) and returns the SDK's folder, `dir/sdk/python`.
 */
export async function pythonSdk(dir: string): Promise<string> {
  const command = /^pulumi (package gen-sdk schema\.json --language python --out sdk)\b/m.exec(languagesPage());
  if (!command)
    throw new Error("docs/languages.md has no `pulumi package gen-sdk schema.json --language python` command");
  fs.copyFileSync(path.join(REPO, "schema.json"), path.join(dir, "schema.json"));
  const home = path.join(dir, ".pulumi-home");
  await new Promise<void>((resolve, reject) =>
    execFile(
      path.join(sdkgenCliDir(), "pulumi"),
      command[1].split(" "),
      { cwd: dir, env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1" } },
      (error, _stdout, stderr) => (error ? reject(new Error(`gen-sdk failed: ${stderr}`)) : resolve()),
    ),
  );
  fs.rmSync(home, { recursive: true, force: true });
  return path.join(dir, "sdk", "python");
}
