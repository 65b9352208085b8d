// The SyncTask definition table of docs/how-it-works.md, rendered from the definition table in the code: the test
// compares the two cell by cell, and a contributor pastes this rendering when a row changes.
import { DEFINITION_FIELDS } from "../../provider/client/definition";

const code = (text: string) => `\`${text}\``;

/** The table's rows, as lists of cells (header first). */
export function definitionTableCells(): string[][] {
  const rows = DEFINITION_FIELDS.map((f) => [
    f.required ? `${code(f.input)} (required)` : code(f.input),
    code(f.wire),
    f.type.replace(/\|/g, "\\|"),
    "omsDefault" in f ? code(JSON.stringify(f.omsDefault)) : "none",
    "start" in f && f.start ? "create, every start" : "create",
    "shown" in f && f.shown ? "compared" : "as declared (not shown)",
    f.doc,
  ]);
  return [["input", "OMS field", "values", "OMS default", "sent in", "on adoption", "what"], ...rows];
}

/** The table as Markdown (unaligned; Prettier aligns it). */
export function definitionTableMarkdown(): string {
  const [header, ...rows] = definitionTableCells();
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The cells of the first Markdown table after `marker` in `text`. */
export function tableCellsAfter(text: string, marker: string): string[][] {
  const start = text.indexOf(marker);
  if (start < 0) return [];
  const lines = text.slice(start + marker.length).split("\n");
  const table: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith("|")) {
      if (table.length > 0) break;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    table.push(cells);
  }
  return table;
}
