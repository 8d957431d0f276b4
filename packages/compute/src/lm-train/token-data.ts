/**
 * The corpus as token streams for language-model training: documents split by a seeded held-out choice, each
 * document's tokens followed by `<|endoftext|>`, training windows drawn at seeded random offsets and a fixed set
 * of held-out windows for the loss curve.
 */
import { isHeldOutDocument } from "../corpus/split.js";
import type { Corpus } from "../corpus/types.js";
import { encodeLong } from "../harvest/encode-long.js";
import { concatInt32 } from "../io/concat.js";
import type { Tokenizer } from "../lm/types.js";

export interface TokenStreams {
  train: Int32Array;
  heldOut: Int32Array;
  heldOutDocuments: string[];
  trainDocuments: number;
}

export interface StreamOptions {
  seed: number;
  heldOutFraction: number;
  endOfTextId: number;
  /** Called after each document with the number of documents read so far. */
  onDocument?: (documents: number) => void;
}

export async function tokenStreams(
  corpus: Corpus,
  tokenizer: Tokenizer,
  options: StreamOptions,
): Promise<TokenStreams> {
  const train: number[][] = [];
  const heldOut: number[][] = [];
  const heldOutDocuments: string[] = [];
  let documents = 0;
  for await (const doc of corpus.documents()) {
    const ids = encodeLong(tokenizer, doc.text);
    ids.push(options.endOfTextId);
    if (isHeldOutDocument(doc.id, { seed: options.seed, heldOutFraction: options.heldOutFraction })) {
      heldOut.push(ids);
      heldOutDocuments.push(doc.id);
    } else train.push(ids);
    options.onDocument?.(++documents);
  }
  if (train.length === 0 || heldOut.length === 0) {
    throw new Error(
      `corpus ${corpus.name}: ${train.length} training and ${heldOut.length} held-out documents; ` +
        "language-model training needs both — use a corpus with more documents or change the held-out fraction.",
    );
  }
  return { train: concatInt32(train), heldOut: concatInt32(heldOut), heldOutDocuments, trainDocuments: train.length };
}

/** `count` windows of `width` tokens at random offsets of `stream`, row-major [count][width]. */
export function randomWindows(stream: Int32Array, count: number, width: number, random: () => number): Int32Array {
  if (stream.length < width) {
    throw new Error(`the training text has ${stream.length} tokens, fewer than one window of ${width}; add text.`);
  }
  const out = new Int32Array(count * width);
  for (let r = 0; r < count; r++) {
    const start = Math.floor(random() * (stream.length - width + 1));
    out.set(stream.subarray(start, start + width), r * width);
  }
  return out;
}

/** Up to `max` non-overlapping windows of `width` tokens spread evenly over `stream`, row-major. */
export function evenWindows(stream: Int32Array, max: number, width: number): Int32Array {
  const available = Math.floor(stream.length / width);
  const count = Math.min(max, available);
  if (count === 0) throw new Error(`the held-out text has ${stream.length} tokens, fewer than one window of ${width}.`);
  const out = new Int32Array(count * width);
  for (let r = 0; r < count; r++) {
    const slot = Math.floor((r * available) / count);
    out.set(stream.subarray(slot * width, (slot + 1) * width), r * width);
  }
  return out;
}
