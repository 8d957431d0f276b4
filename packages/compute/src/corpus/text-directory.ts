import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Corpus, CorpusDocument } from "./types.js";

function listTextFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTextFiles(path));
    else if (entry.isFile() && entry.name.endsWith(".txt")) out.push(path);
  }
  return out;
}

/** Every `.txt` file below `dir` (recursively), sorted by path; a document's id is its path relative to `dir`. */
export function textDirectoryCorpus(dir: string): Corpus {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`Corpus directory ${dir} does not exist: give a folder of .txt files.`);
  }
  const files = listTextFiles(dir)
    .map((path) => relative(dir, path))
    .sort();
  if (files.length === 0)
    throw new Error(`Corpus directory ${dir} holds no .txt files: add some or pick another corpus.`);
  return {
    name: dir,
    async *documents(): AsyncIterable<CorpusDocument> {
      for (const id of files) yield { id, text: readFileSync(join(dir, id), "utf8") };
    },
  };
}
