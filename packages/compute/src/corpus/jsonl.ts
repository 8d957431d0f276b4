import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Corpus, CorpusDocument } from "./types.js";

/**
 * A JSON Lines file, one document per line with a string `text` field, read line by line.
 * A document's id is its `id` field when that is a string or number, else `line-<n>` (1-based).
 */
export function jsonlCorpus(path: string): Corpus {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`Corpus file ${path} does not exist: give a .jsonl file with one {"text": ...} object per line.`);
  }
  return {
    name: path,
    async *documents(): AsyncIterable<CorpusDocument> {
      const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === "") continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          throw new Error(`${path} line ${lineNumber} is not valid JSON: each line must be one JSON object.`);
        }
        const text = (record as { text?: unknown } | null)?.text;
        if (typeof text !== "string") {
          throw new Error(`${path} line ${lineNumber} has no string "text" field: each line needs {"text": "..."}.`);
        }
        const rawId = (record as { id?: unknown }).id;
        const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : `line-${lineNumber}`;
        yield { id, text };
      }
    },
  };
}
