// The package's own manifest, found from here whether this runs as source, compiled under dist/, or installed; or,
// in the single executable `npm run plugin:pack` builds, the fields its bundler wrote into the code.
import * as fs from "fs";
import * as path from "path";

/** The fields of package.json the plugin and its schema use. */
export interface PackageInfo {
  version: string;
  homepage?: string;
  license?: string;
  repository?: { url?: string };
}

/**
 * The manifest's fields, defined by the plugin's bundler (tools/plugin-pack.mjs): the executable has no package.json
 * beside it. Undefined everywhere else.
 */
declare const OMS_BUNDLED_PACKAGE_INFO: PackageInfo | undefined;

let cached: { manifest: PackageInfo; root: string } | undefined;

function find(): { manifest: PackageInfo; root: string } {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as PackageInfo & { name?: string };
    if (manifest.name === "pulumi-oms-sync") return (cached = { manifest, root: dir });
  }
  throw new Error("the pulumi-oms-sync package.json was not found above the plugin");
}

/** The manifest of `pulumi-oms-sync` (bundled, or above this file). Throws when there is none (a broken install). */
export function packageInfo(): PackageInfo {
  return typeof OMS_BUNDLED_PACKAGE_INFO === "undefined" ? find().manifest : OMS_BUNDLED_PACKAGE_INFO;
}

/** The directory of that manifest: the repository root in a checkout. Throws when there is none. */
export function packageRoot(): string {
  return find().root;
}
