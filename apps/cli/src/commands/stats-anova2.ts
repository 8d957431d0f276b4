import { readFileSync } from "node:fs";
import { parseCsv } from "@interlace/compute/io";
import { type AnovaTerm, factorCodes, type TwoWayAnova, twoWayAnova } from "@interlace/compute/stats";
import { type Command, requiredString, stringFlag, UsageError } from "../command.js";

/** The pinned JSON of one ANOVA term. */
export function termJson(term: AnovaTerm): { F: number | null; p: number | null; partial_eta2: number | null } {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return { F: finite(term.F), p: finite(term.p), partial_eta2: finite(term.partialEta2) };
}

export function anovaJson(table: TwoWayAnova) {
  return { a: termJson(table.a), b: termJson(table.b), ab: termJson(table.ab) };
}

/** `--type` / `--anova-type`: 2 (default) or 3. */
export function anovaTypeFlag(raw: string | undefined, flag: string): 2 | 3 {
  if (raw === undefined || raw === "2") return 2;
  if (raw === "3") return 3;
  throw new UsageError(`--${flag} must be 2 or 3 (ANOVA type II or III), got ${JSON.stringify(raw)}.`);
}

function formatTable(table: TwoWayAnova, names: { a: string; b: string }): string {
  const row = (label: string, t: AnovaTerm) =>
    `${label.padEnd(24)} ${t.ss.toPrecision(6).padStart(12)} ${String(t.df).padStart(4)} ${t.F.toFixed(4).padStart(10)} ${t.p.toPrecision(4).padStart(10)} ${t.partialEta2.toFixed(4).padStart(8)}`;
  return [
    `Two-way ANOVA, type ${table.type === 2 ? "II" : "III"}`,
    `${"term".padEnd(24)} ${"SS".padStart(12)} ${"df".padStart(4)} ${"F".padStart(10)} ${"p".padStart(10)} ${"η²p".padStart(8)}`,
    row(names.a, table.a),
    row(names.b, table.b),
    row(`${names.a}:${names.b}`, table.ab),
    `${"residual".padEnd(24)} ${table.residual.ss.toPrecision(6).padStart(12)} ${String(table.residual.df).padStart(4)}`,
    "",
  ].join("\n");
}

export const statsAnova2Command: Command = {
  path: ["stats", "anova2"],
  summary: "Two-way ANOVA (type II or III, sum-to-zero contrasts) of a CSV column on two factor columns.",
  usage: `Flags:
  --csv FILE    a CSV with a header row (required)
  --y COL       the response column, numbers (required)
  --a COL       the first factor column (required)
  --b COL       the second factor column (required)
  --type 2|3    ANOVA type (default 2)
  --json        also print {"a":{"F","p","partial_eta2"},"b":…,"ab":…} as the last line
`,
  options: {
    csv: { type: "string" },
    y: { type: "string" },
    a: { type: "string" },
    b: { type: "string" },
    type: { type: "string" },
    json: { type: "boolean" },
  },
  usesEngine: false,
  async run(values) {
    const path = requiredString(values, "csv", "give a CSV file, e.g. --csv data.csv.");
    const yName = requiredString(values, "y", "name the response column, e.g. --y conformity.");
    const aName = requiredString(values, "a", "name the first factor's column, e.g. --a group.");
    const bName = requiredString(values, "b", "name the second factor's column, e.g. --b condition.");
    const type = anovaTypeFlag(stringFlag(values, "type"), "type");
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new UsageError(`--csv: cannot read ${path}; give an existing CSV file.`);
    }
    let table: TwoWayAnova;
    try {
      const csv = parseCsv(text);
      const y = csv.column(yName).map((raw, i) => {
        const value = raw.trim() === "" ? Number.NaN : Number(raw);
        if (!Number.isFinite(value)) {
          throw new Error(`--y: row ${i + 1} of column ${yName} is ${JSON.stringify(raw)}, not a number.`);
        }
        return value;
      });
      table = twoWayAnova(
        y,
        { a: factorCodes(csv.column(aName)).codes, b: factorCodes(csv.column(bName)).codes },
        type,
      );
    } catch (error) {
      throw new UsageError(`--csv ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stdout.write(formatTable(table, { a: aName, b: bName }));
    if (values["json"] === true) process.stdout.write(`${JSON.stringify(anovaJson(table))}\n`);
  },
};
