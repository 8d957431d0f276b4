import type { Corpus } from "../corpus/types.js";
import type { Tokenizer } from "../lm/types.js";
import { encodeLong } from "./encode-long.js";

/** Row provenance for special tokens (BOS, document separators): they belong to no document. */
export const NO_DOCUMENT = -1;

/** One model input of `context` tokens and, per position, where its token came from. */
export interface TokenWindow {
  tokens: number[];
  /** Index into the document table per position, or NO_DOCUMENT for special tokens. */
  docs: Int32Array;
  /** Token offset within its document per position, or -1 for special tokens. */
  offsets: Int32Array;
}

export interface WindowOptions {
  /** Tokens per window, including the BOS token when `bos` is set. */
  context: number;
  /** Start every window with the tokenizer's BOS token (SAELens `prepend_bos`). */
  bos: boolean;
}

/**
 * Cuts a corpus into windows as SAELens does: documents are tokenised and concatenated into one stream, separated by
 * the end-of-text token (or BOS when there is none), and the stream is cut into windows of `context` tokens
 * (`context - 1` stream tokens after BOS when `bos`). The final window shorter than `context` is dropped.
 * `documents` is the document table, appended with each document's id as it is reached.
 */
export async function* cutWindows(
  corpus: Corpus,
  tokenizer: Tokenizer,
  options: WindowOptions,
  documents: string[],
): AsyncGenerator<TokenWindow> {
  const { context, bos } = options;
  if (!Number.isInteger(context) || context < (bos ? 2 : 1)) {
    throw new Error(`context must be an integer ≥ ${bos ? 2 : 1}, got ${context}.`);
  }
  const bosId = tokenizer.bosTokenId;
  if (bos && bosId === null) {
    throw new Error("This model's tokenizer has no BOS token: harvest without --bos.");
  }
  const separator = tokenizer.eosTokenId ?? tokenizer.bosTokenId;
  const body = bos ? context - 1 : context;
  let tokens: number[] = [];
  let docs: number[] = [];
  let offsets: number[] = [];
  const push = (token: number, doc: number, offset: number): void => {
    tokens.push(token);
    docs.push(doc);
    offsets.push(offset);
  };
  const take = (): TokenWindow => {
    const window: TokenWindow = {
      tokens: bos ? [bosId!, ...tokens.slice(0, body)] : tokens.slice(0, body),
      docs: new Int32Array(context),
      offsets: new Int32Array(context),
    };
    const shift = bos ? 1 : 0;
    if (bos) {
      window.docs[0] = NO_DOCUMENT;
      window.offsets[0] = -1;
    }
    window.docs.set(docs.slice(0, body), shift);
    window.offsets.set(offsets.slice(0, body), shift);
    tokens = tokens.slice(body);
    docs = docs.slice(body);
    offsets = offsets.slice(body);
    return window;
  };
  for await (const doc of corpus.documents()) {
    const ids = encodeLong(tokenizer, doc.text);
    if (ids.length === 0) continue;
    if (documents.length > 0 && separator !== null) {
      push(separator, NO_DOCUMENT, -1);
      if (tokens.length >= body) yield take();
    }
    const docIndex = documents.length;
    documents.push(doc.id);
    for (let i = 0; i < ids.length; i++) {
      push(ids[i]!, docIndex, i);
      if (tokens.length >= body) yield take();
    }
  }
}
