import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Tokenizer } from "@huggingface/tokenizers";
import { encode as gpt2Encode } from "gpt-3-encoder";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { cutGpt2Bpe, END_OF_TEXT, GPT2_MERGES, tokenizerConfigJson, tokenizerJson } from "./gpt2-bpe.js";

const SAMPLES = [
  "The state of the Union is strong.",
  "Fellow-Citizens of the Senate and House of Representatives: it's 1790, we'll see.",
  "  spaces   and\ttabs\nnew lines\n\n",
  "Ünïcödé — “quotes” 日本語 🙂 and numbers 12345.67",
];

/** GPT-2's byte → printable-character table. */
function byteSymbols(): string[] {
  const printable: number[] = [];
  for (const [a, b] of [
    [33, 126],
    [161, 172],
    [174, 255],
  ] as const)
    for (let i = a; i <= b; i++) printable.push(i);
  const symbols: string[] = [];
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    symbols[byte] = String.fromCodePoint(printable.includes(byte) ? byte : 256 + extra++);
  }
  return symbols;
}

/** A plain reference BPE: GPT-2 pre-tokenisation, then repeatedly merge the lowest-ranked adjacent pair. */
function referenceEncode(text: string, vocab: Record<string, number>, merges: string[]): number[] {
  const rank = new Map(merges.map((m, i) => [m, i]));
  const symbols = byteSymbols();
  const pattern = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
  const ids: number[] = [];
  for (const word of text.match(pattern) ?? []) {
    let parts = [...Buffer.from(word, "utf8")].map((b) => symbols[b]!);
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = rank.get(`${parts[i]} ${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const merged = parts[best]! + parts[best + 1]!;
      const next: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i + 1 < parts.length && `${parts[i]} ${parts[i + 1]}` === merges[bestRank]) {
          next.push(merged);
          i++;
        } else next.push(parts[i]!);
      }
      parts = next;
    }
    for (const part of parts) ids.push(vocab[part]!);
  }
  return ids;
}

test("a cut BPE keeps GPT-2's first ids and puts <|endoftext|> after them", () => {
  const bpe = cutGpt2Bpe(1000);
  assert.equal(bpe.merges.length, 1000);
  assert.equal(Object.keys(bpe.vocab).length, 1257);
  assert.equal(bpe.vocab["!"], 0);
  assert.equal(bpe.vocab["Ġt"], 256);
  assert.equal(bpe.vocab[END_OF_TEXT], 1256);
  assert.throws(() => cutGpt2Bpe(0), /merges must be an integer in 1…50000/);
  assert.throws(() => cutGpt2Bpe(GPT2_MERGES + 1), /merges/);
});

test("tokenizer.json loads in @huggingface/tokenizers, round-trips text and matches the cut BPE", () => {
  for (const mergeCount of [300, 8000]) {
    const bpe = cutGpt2Bpe(mergeCount);
    const hf = new Tokenizer(tokenizerJson(bpe), tokenizerConfigJson(128));
    assert.equal(hf.token_to_id(END_OF_TEXT), mergeCount + 256);
    for (const text of SAMPLES) {
      const ids = hf.encode(text, { add_special_tokens: false }).ids;
      assert.deepEqual(ids, referenceEncode(text, bpe.vocab, bpe.merges), `ids of ${JSON.stringify(text)}`);
      assert.ok(ids.every((id) => id < mergeCount + 256));
      assert.equal(hf.decode(ids, { skip_special_tokens: false }), text);
    }
  }
});

test("with every merge the ids equal gpt-3-encoder's own encoding", () => {
  const hf = new Tokenizer(tokenizerJson(cutGpt2Bpe(GPT2_MERGES)), tokenizerConfigJson(128));
  for (const text of SAMPLES) assert.deepEqual(hf.encode(text, { add_special_tokens: false }).ids, gpt2Encode(text));
});

test("the 8,000-merge tokenizer.json equals the fixture model's", (t) => {
  const path = join(fixtures, "models", "sotu-gpt2-6l", "tokenizer.json");
  if (!existsSync(path)) return t.skip(`no fixture at ${path}`);
  const fixture = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  assert.deepEqual(tokenizerJson(cutGpt2Bpe(8000)), fixture);
});
