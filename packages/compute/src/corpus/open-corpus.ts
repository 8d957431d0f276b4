import { statSync } from "node:fs";
import { mobyDickCorpus, sotuCorpus } from "./builtin.js";
import { jsonlCorpus } from "./jsonl.js";
import { textDirectoryCorpus } from "./text-directory.js";
import type { Corpus, CorpusDocument } from "./types.js";

/** The corpora that ship with Interlace (npm packages, no download at run time). */
export const BUILTIN_CORPORA: Readonly<Record<string, () => Corpus>> = {
  sotu: sotuCorpus,
  "moby-dick": mobyDickCorpus,
};

/** Documents of several corpora one after another; ids are prefixed `<corpus>/` only when two corpora are joined. */
export function concatCorpora(corpora: readonly Corpus[]): Corpus {
  if (corpora.length === 1) return corpora[0]!;
  return {
    name: corpora.map((c) => c.name).join(","),
    async *documents(): AsyncIterable<CorpusDocument> {
      for (const corpus of corpora) {
        for await (const doc of corpus.documents()) yield { ...doc, id: `${corpus.name}/${doc.id}` };
      }
    },
  };
}

function openOne(spec: string): Corpus {
  const builtin = BUILTIN_CORPORA[spec];
  if (builtin) return builtin();
  const stat = statSync(spec, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return textDirectoryCorpus(spec);
  if (stat?.isFile() && /\.jsonl?$/i.test(spec)) return jsonlCorpus(spec);
  const choices = [...Object.keys(BUILTIN_CORPORA), "a directory of .txt files", "a .jsonl file with a text field"];
  throw new Error(`Unknown corpus "${spec}": choose one of ${choices.join(", ")} (join several with commas).`);
}

/**
 * Resolves a corpus name as the CLI takes it: `sotu`, `moby-dick`, a directory of `.txt` files, a `.jsonl` file,
 * or several of these joined by commas (`sotu,moby-dick`).
 */
export function openCorpus(spec: string): Corpus {
  const parts = spec
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0) throw new Error(`Empty corpus name: choose ${Object.keys(BUILTIN_CORPORA).join(", ")}.`);
  return concatCorpora(parts.map(openOne));
}
