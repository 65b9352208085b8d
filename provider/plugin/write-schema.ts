// `npm run schema`: writes the package schema to schema.json at the repository root (or to the path given), for the
// CLI's `pulumi package gen-sdk` and for review. tests/plugin/schema.test.ts keeps the committed file equal to it.
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "./package-info";
import { buildSchema } from "./schema";

const target = process.argv[2] ?? path.join(packageRoot(), "schema.json");
fs.writeFileSync(target, JSON.stringify(buildSchema(), null, 2) + "\n");
process.stdout.write(`${path.resolve(target)}\n`);
