import type { Tokenizer } from "../lm/types.js";

/** Texts longer than this are encoded piece by piece, so one huge file never becomes one huge tokenizer call. */
const PIECE_CHARS = 100_000;

/**
 * Encodes a text of any length. Long texts are cut just after a newline that is followed by a non-space character
 * (where byte-level BPE pre-tokenisation already splits), so the ids match a single call on ordinary prose.
 */
export function encodeLong(tokenizer: Tokenizer, text: string): number[] {
  if (text.length <= PIECE_CHARS) return tokenizer.encode(text);
  const ids: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + PIECE_CHARS);
    if (end < text.length) {
      let cut = text.lastIndexOf("\n", end);
      while (cut > start && /\s/.test(text[cut + 1] ?? "")) cut = text.lastIndexOf("\n", cut - 1);
      if (cut > start) end = cut + 1;
    }
    for (const id of tokenizer.encode(text.slice(start, end))) ids.push(id);
    start = end;
  }
  return ids;
}
