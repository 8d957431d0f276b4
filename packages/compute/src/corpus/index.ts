export { mobyDickCorpus, sotuCorpus } from "./builtin.js";
export { jsonlCorpus } from "./jsonl.js";
export { BUILTIN_CORPORA, concatCorpora, openCorpus } from "./open-corpus.js";
export { type DocumentSplitOptions, isHeldOutDocument, type SplitPart, splitCorpus } from "./split.js";
export { stableUnitHash } from "./stable-hash.js";
export { textDirectoryCorpus } from "./text-directory.js";
export type { Corpus, CorpusDocument } from "./types.js";
