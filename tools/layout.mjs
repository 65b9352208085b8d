#!/usr/bin/env node
// `npm run layout`: the shape of the product code, printed the same way before and after a reorganization so the two
// can be set side by side. It reports, for the .ts files under each root (default `provider`):
//   1. files and lines per folder (each folder's own files; all lines as `wc -l` counts them, and code lines: neither
//      blank nor comment);
//   2. the ten largest files, and how many are over 400 lines (a file past ~400 lines is usually two jobs);
//   3. rooms: each folder as one unit of the import graph, with the folders and packages its files import;
//   4. circles: import cycles between files and between rooms, marking those that exist only through `import type`.
// It reads the source as text, with no TypeScript compiler, so it sees imports as written: an import counts as type
// only when it says so (`import type`, `export type`, or every named binding marked `type`).
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";

const USAGE = "usage: node tools/layout.mjs [--repo DIR] [--root DIR]... [--markdown]";
/** Past this many lines a file is counted as large. */
const LARGE_FILE_LINES = 400;
const TOP_FILES = 10;
const PULUMI = "@pulumi/pulumi";

const options = {
  repo: { type: "string", default: process.cwd() },
  root: { type: "string", multiple: true, default: ["provider"] },
  markdown: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
};
function fail(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}
let args;
try {
  args = parseArgs({ options }).values;
} catch (e) {
  fail(e.message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const repo = path.resolve(args.repo);
const roots = [...new Set(args.root.map((r) => path.relative(repo, path.resolve(repo, r)) || "."))].sort();
const rel = (abs) => path.relative(repo, abs).split(path.sep).join("/") || ".";
const manifest = path.join(repo, "package.json");
const selfName = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).name : undefined;

/** Every folder under `dir` (itself included) and the .ts files in it; build output and dependencies are skipped. */
function walk(dir, folders) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  folders.set(rel(dir), []);
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules" && e.name !== "dist") {
      walk(path.join(dir, e.name), folders);
    } else if (e.isFile() && e.name.endsWith(".ts")) folders.get(rel(dir)).push(rel(path.join(dir, e.name)));
  }
}

/** The source with comments blanked (newlines kept), so neither the line counts nor the import search see them; and
 * beside it the same text with the insides of strings, templates and regex literals masked too, so that an import
 * is only looked for in code: `"./import"` holds the word but is no import. A "//" inside a string is no comment. */
function scan(src) {
  let out = "";
  let mask = "";
  let i = 0;
  const templates = []; // open `${` braces per template nesting level
  const blank = (s, ch) => s.replace(/[^\n]/g, ch);
  const emit = (end, head = 1, tail = 1) => {
    const seg = src.slice(i, end);
    out += seg;
    mask += seg.slice(0, head) + blank(seg.slice(head, seg.length - tail), "x") + seg.slice(seg.length - tail);
    i = end;
  };
  while (i < src.length) {
    const c = src[i];
    let end = i + 1;
    if ((c === "/" && (src[i + 1] === "/" || src[i + 1] === "*")) || (i === 0 && src.startsWith("#!"))) {
      end = src[i + 1] !== "*" ? src.indexOf("\n", i) : src.indexOf("*/", i + 2) + 2;
      if (end < 2) end = src.length;
      out += blank(src.slice(i, end), " ");
      mask += blank(src.slice(i, end), " ");
      i = end;
    } else if (c === '"' || c === "'") {
      while (end < src.length && src[end] !== c && src[end] !== "\n") end += src[end] === "\\" ? 2 : 1;
      emit(end + 1);
    } else if (c === "`" || (c === "}" && templates.at(-1) === 0)) {
      if (c === "}") templates.pop();
      let tail = 0;
      for (; end < src.length && !tail; end++) {
        if (src[end] === "\\") end++;
        else if (src[end] === "`") tail = 1;
        else if (src[end] === "$" && src[end + 1] === "{") tail = 2;
      }
      if (tail === 2) templates.push(0);
      emit(tail ? end + tail - 1 : end, 1, tail);
    } else if (
      c === "/" &&
      /(^|[(,=:[!&|?{};+\-*%<>~^]|\b(return|typeof|case|do|else|in|of|void|yield|await))$/.test(out.trimEnd())
    ) {
      for (let inClass = false; end < src.length && src[end] !== "\n" && (src[end] !== "/" || inClass); end++) {
        if (src[end] === "[") inClass = true;
        else if (src[end] === "]") inClass = false;
        else if (src[end] === "\\") end++;
      }
      emit(end + 1);
    } else {
      if (c === "{" && templates.length) templates[templates.length - 1]++;
      if (c === "}" && templates.length) templates[templates.length - 1]--;
      emit(end, 1, 0);
    }
  }
  return { out, mask };
}

// Each form of import, as regex source: `kind` says whether it can be type only and how to tell. A keyword only
// counts where it starts a word (not `x.import`), and the specifier is a quoted string.
const [AT, SPEC] = [String.raw`(?<![\w$.])`, String.raw`\s*(?<q>["'])(?<spec>[^"']+)\k<q>`];
const IMPORT_FORMS = [
  [String.raw`${AT}import\s+(?<clause>(?!\()[^"'\`;]*?)\s*from${SPEC}`, "clause"],
  [String.raw`${AT}export\s+(?<clause>(type\s+)?(\*(\s+as\s+[\w$]+)?|\{[^}]*\}))\s*from${SPEC}`, "clause"],
  [String.raw`${AT}import${SPEC}`, "value"],
  [String.raw`(?<typeof>typeof\s+)?${AT}import\s*\(${SPEC}\s*\)`, "typeof"],
  [String.raw`${AT}require\s*\(${SPEC}\s*\)`, "value"],
];
// Type only: `import type …`, `export type …`, or braces whose every binding is marked `type`.
const isTypeOnly = (clause) => /^type\s|^\{\s*(type\s+[^,}]+,\s*)*type\s+[^,}]+,?\s*\}$/.test(clause);
function importsOf({ out, mask }) {
  const found = [];
  for (const [re, kind] of IMPORT_FORMS) {
    for (const m of mask.matchAll(new RegExp(re, "gd"))) {
      const g = m.groups;
      const type = kind === "clause" ? isTypeOnly(g.clause.trim()) : kind === "typeof" && Boolean(g.typeof);
      found.push({ spec: out.slice(...m.indices.groups.spec), type });
    }
  }
  return found;
}

/** `x` as written in a relative import, to the repository path of `x.ts` or `x/index.ts` (also `x.js` → `x.ts`). */
function resolve(fromFile, spec) {
  const base = path.posix.join(path.posix.dirname(fromFile), spec);
  const isFile = (p) => p.endsWith(".ts") && fs.statSync(path.join(repo, p), { throwIfNoEntry: false })?.isFile();
  return [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, ".ts")].find(isFile);
}
const packageOf = (spec) => {
  const name = spec.match(/^(@[^/]+\/)?[^/]+/)[0];
  const bare = name.replace(/^node:/, "");
  return builtinModules.includes(bare) ? `node:${bare}` : name;
};

const missing = roots.filter((r) => !fs.statSync(path.join(repo, r), { throwIfNoEntry: false })?.isDirectory());
if (missing.length) fail(`no such folder in ${repo}: ${missing.join(", ")}`);
const folders = new Map();
for (const r of roots) walk(path.join(repo, r), folders);
const files = new Map(); // path → { folder, lines, code, edges and packages: Map<path or name, type only> }
const strays = []; // relative imports that lead to no file under the roots
for (const [folder, list] of folders) {
  for (const f of list) {
    const src = fs.readFileSync(path.join(repo, f), "utf8");
    const code = scan(src);
    const info = { folder, lines: (src.match(/\n/g) ?? []).length, code: 0, edges: new Map(), packages: new Map() };
    info.code = code.out.split("\n").filter((l) => l.trim()).length;
    for (const { spec, type } of importsOf(code)) {
      const into = spec.startsWith(".") ? info.edges : info.packages;
      const key = spec.startsWith(".") ? resolve(f, spec) : packageOf(spec);
      if (!key) strays.push(`${f} → ${spec} (no such file)`);
      else into.set(key, (into.get(key) ?? true) && type);
    }
    files.set(f, info);
  }
}

/** Strongly connected components with more than one member (Tarjan), members and components sorted. */
function circles(nodes, edgesOf) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const found = [];
  const visit = (v) => {
    index.set(v, index.size);
    low.set(v, index.get(v));
    stack.push(v);
    for (const w of edgesOf(v)) {
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v), low.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = stack.splice(stack.indexOf(v));
    if (scc.length > 1) found.push(scc.sort());
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
/** Each circle of `edges` (a Map node → Map<node, type only>), marked when no value import alone closes it. */
function circlesMarked(edges) {
  const all = circles(edges.keys(), (v) => [...edges.get(v).keys()].filter((w) => edges.has(w)).sort());
  return all.map((members) => {
    const inside = new Set(members);
    const valueEdges = (v) => [...edges.get(v)].filter(([w, type]) => inside.has(w) && !type).map(([w]) => w);
    return { members, typeOnly: circles(members, valueEdges).length === 0 };
  });
}

// Rooms: a folder's edges are its files' edges to other folders, each with how many file imports stand behind it
// (`n`) and how many of those are type only; an edge is type only when all of them are.
const rooms = new Map([...folders.keys()].map((f) => [f, { uses: new Map(), packages: new Map(), edges: new Map() }]));
const allTypes = (t) => t.types === t.n;
const tally = (map, key, type) => {
  const t = map.get(key) ?? { n: 0, types: 0 };
  map.set(key, { n: t.n + 1, types: t.types + (type ? 1 : 0) });
};
for (const [f, info] of files) {
  const room = rooms.get(info.folder);
  for (const [to, type] of info.edges) {
    const target = files.get(to)?.folder;
    if (!target) strays.push(`${f} → ${to} (outside the roots)`);
    else if (target !== info.folder) tally(room.uses, target, type);
  }
  for (const [name, type] of info.packages) tally(room.packages, name, type);
}
for (const room of rooms.values()) for (const [to, t] of room.uses) room.edges.set(to, allTypes(t));

const md = args.markdown;
const code = (s) => (md ? `\`${s}\`` : s);
// Entries are [name, value] pairs, listed by name.
const listed = (entries, show, none = "—") =>
  [...entries]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(show)
    .join(", ") || none;
const counted = (t) => ` ×${t.n}${allTypes(t) ? " (type only)" : t.types ? ` (${t.types} type only)` : ""}`;
function table(head, rows, right = []) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const pad = (c, i) => String(c)[right.includes(i) ? "padStart" : "padEnd"](widths[i]);
  const line = (cells) => (md ? `| ${cells.join(" | ")} |` : cells.map(pad).join("  ").trimEnd());
  const rule = head.map((_, i) => (md ? (right.includes(i) ? "---:" : "---") : "-".repeat(widths[i])));
  return [line(head), line(rule), ...rows.map(line)];
}
const out = [md ? `# Layout of ${roots.map(code).join(", ")}` : `LAYOUT OF ${roots.join(", ")}`];
const section = (title, ...lines) => out.push("", md ? `## ${title}` : title.toUpperCase(), "", ...lines);

const folderRows = [...folders].map(([folder, list]) => {
  const own = list.map((f) => files.get(f));
  return [code(folder), own.length, own.reduce((n, i) => n + i.lines, 0), own.reduce((n, i) => n + i.code, 0)];
});
const sum = (col) => folderRows.reduce((n, r) => n + r[col], 0);
folderRows.push([md ? "**total**" : "total", sum(1), sum(2), sum(3)]);
section("Files and lines per folder", ...table(["Folder", "Files", "Lines", "Code lines"], folderRows, [1, 2, 3]));
out.push("", "Each folder counts only its own files. Code lines are neither blank nor only comment.");

const bySize = [...files].sort(([a, x], [b, y]) => y.lines - x.lines || (a < b ? -1 : 1));
const large = bySize.filter(([, i]) => i.lines > LARGE_FILE_LINES).map(([f]) => code(f));
const top = bySize.slice(0, TOP_FILES).map(([f, i]) => [code(f), i.lines, i.code]);
section(`The ${TOP_FILES} largest files`, ...table(["File", "Lines", "Code lines"], top, [1, 2]));
out.push("", `Files over ${LARGE_FILE_LINES} lines: ${large.length} of ${files.size}: ${large.join(", ") || "none"}.`);

const roomRows = [...rooms].map(([folder, room]) => [
  code(folder),
  folders.get(folder).length,
  listed(room.uses, ([to, t]) => `${code(to)}${counted(t)}`),
  listed(room.packages, ([name, t]) => `${name}${counted(t)}${name === selfName ? " (this package, by name)" : ""}`),
]);
// In a terminal the rows are too wide for a table, so each room gets three lines.
const roomLines = ([room, n, imports, pkgs]) =>
  `${room} (${n} file${n === 1 ? "" : "s"})\n  imports ${imports}\n  packages ${pkgs}`;
const roomHead = ["Room", "Files", "Imports from rooms", "Packages"];
section("Rooms", ...(md ? table(roomHead, roomRows, [1]) : roomRows.map(roomLines)));
out.push("", "×N: a room, how many pairs of importing and imported file; a package, how many files import it.");
out.push("(k type only): k of them are `import type`; (type only): all of them are.", "");
// The boundary the house style draws: the client and errors hold no Pulumi, so say plainly who imports it and how.
const pulumiBy = (typeOnly) =>
  [...rooms].filter(([, r]) => r.packages.has(PULUMI) && allTypes(r.packages.get(PULUMI)) === typeOnly);
const [byValue, byType] = [false, true].map((t) => listed(pulumiBy(t), ([f]) => code(f), "none"));
out.push(`${code(PULUMI)} is imported as a value by ${byValue}; for types only by ${byType}.`);
if (strays.length)
  out.push("", "Relative imports that lead to no file under the roots:", ...strays.sort().map((s) => `- ${s}`));

section("Circles");
for (const [what, nodes] of Object.entries({ files, rooms })) {
  const found = circlesMarked(new Map([...nodes].map(([name, node]) => [name, node.edges])));
  out.push(`Between ${what}: ${found.length}.`, ...(md && found.length ? [""] : []));
  for (const [n, { members, typeOnly }] of found.entries()) {
    const note = typeOnly ? " (only through type imports)" : "";
    out.push(`${md ? "" : "  "}${n + 1}. ${members.map(code).join(", ")}${note}`);
  }
  out.push("");
}
process.stdout.write(`${out.join("\n").trimEnd()}\n`);
