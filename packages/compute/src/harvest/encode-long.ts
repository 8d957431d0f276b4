import type { Tokenizer } from "../lm/types.js";

/** Texts longer than this are encoded piece by piece, so one huge file never becomes one huge tokenizer call. */
const PIECE_CHARS = 100_000;

const isSpace = (ch: string | undefined): boolean => ch === undefined || /\s/.test(ch);

/** The last index ≤ `end` of a single space between two non-space characters, or -1. */
function lastCutBefore(text: string, start: number, end: number): number {
  let at = text.lastIndexOf(" ", end);
  while (at > start && (isSpace(text[at - 1]) || isSpace(text[at + 1]))) at = text.lastIndexOf(" ", at - 1);
  return at > start ? at : -1;
}

/**
 * Encodes a text of any length. Long texts are cut just before a single space between two words, where byte-level
 * BPE pre-tokenisation already splits (the space starts the next piece), so the ids equal those of one call.
 */
export function encodeLong(tokenizer: Tokenizer, text: string): number[] {
  if (text.length <= PIECE_CHARS) return tokenizer.encode(text);
  const ids: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + PIECE_CHARS);
    if (end < text.length) {
      const cut = lastCutBefore(text, start, end);
      if (cut > 0) end = cut;
    }
    for (const id of tokenizer.encode(text.slice(start, end))) ids.push(id);
    start = end;
  }
  return ids;
}
