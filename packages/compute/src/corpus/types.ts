/** One document of a corpus: a stable id (unique within the corpus) and its text. */
export interface CorpusDocument {
  id: string;
  text: string;
  /** Descriptive fields for display, e.g. a speech's year and president or a chapter's title. */
  meta?: Readonly<Record<string, string | number>>;
}

/** A named, re-iterable sequence of documents in a fixed order. Documents are produced lazily, one at a time. */
export interface Corpus {
  /** How the corpus was named, e.g. `sotu`, a directory path or a JSONL path. */
  readonly name: string;
  documents(): AsyncIterable<CorpusDocument>;
}
