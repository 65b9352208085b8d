// Runs the plugin from its TypeScript source, as `node dist/provider/plugin/main.js` runs the compiled build: each
// module is transpiled as Node loads it (types are erased, not checked: `npm test` type-checks), so a test needs no
// build and can never run a stale one. OMS_PLUGIN_TEST_TUNING (JSON) shortens waits and retries, through the same
// `tuning` hook the in-process tests use; the plugin itself reads no such setting.
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  module._compile(ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText, filename);
};

const repo = path.resolve(__dirname, "..", "..", "..");
if (process.env.OMS_PLUGIN_TEST_TUNING) {
  Object.assign(
    require(path.join(repo, "provider", "testing.ts")).tuning,
    JSON.parse(process.env.OMS_PLUGIN_TEST_TUNING),
  );
}
require(path.join(repo, "provider", "plugin", "main.ts"));
