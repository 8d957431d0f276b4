import { stableUnitHash } from "./stable-hash.js";
import type { Corpus, CorpusDocument } from "./types.js";

export interface DocumentSplitOptions {
  /** Fixes which documents are held out. */
  seed: number;
  /** Fraction of documents held out, in [0, 1). */
  heldOutFraction: number;
  /** Documents always held out (e.g. those a model was not trained on), in addition to the seeded choice. */
  heldOutIds?: readonly string[];
}

export type SplitPart = "train" | "heldOut";

/** Whether a document is held out: decided by its id and the seed alone, so the split never depends on order. */
export function isHeldOutDocument(id: string, options: DocumentSplitOptions): boolean {
  if (!(options.heldOutFraction >= 0 && options.heldOutFraction < 1)) {
    throw new Error(`heldOutFraction must be in [0, 1), got ${options.heldOutFraction}.`);
  }
  if (options.heldOutIds?.includes(id)) return true;
  return stableUnitHash(options.seed, id) < options.heldOutFraction;
}

/** The documents of one side of a seeded split, as a corpus of its own. */
export function splitCorpus(corpus: Corpus, part: SplitPart, options: DocumentSplitOptions): Corpus {
  const wantHeldOut = part === "heldOut";
  return {
    name: `${corpus.name}[${part}]`,
    async *documents(): AsyncIterable<CorpusDocument> {
      for await (const doc of corpus.documents()) {
        if (isHeldOutDocument(doc.id, options) === wantHeldOut) yield doc;
      }
    },
  };
}
