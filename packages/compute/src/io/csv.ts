/**
 * A small RFC 4180 CSV reader: a header row, then records; fields may be quoted ("" escapes a quote) and hold commas
 * or newlines. Returns each column by its header name.
 */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** The values of the column named `name`; the error lists the columns there are. */
  column(name: string): string[];
}

function parseRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n") endRecord();
    else if (ch !== "\r") field += ch;
    i++;
  }
  if (quoted) throw new Error("the CSV ends inside a quoted field; close the quote.");
  if (field !== "" || record.length > 0) endRecord();
  return records;
}

export function parseCsv(text: string): CsvTable {
  const [header, ...rows] = parseRecords(text.replace(/^\uFEFF/, ""));
  if (!header) throw new Error("the CSV is empty; give a header row and at least one record.");
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new Error(`CSV record ${r + 1} has ${row.length} fields but the header has ${header.length}.`);
    }
  });
  return {
    header,
    rows,
    column(name) {
      const index = header.indexOf(name);
      if (index < 0) throw new Error(`the CSV has no column "${name}"; its columns are ${header.join(", ")}.`);
      return rows.map((row) => row[index]!);
    },
  };
}
