import assert from "node:assert/strict";
import { test } from "node:test";
import type { Corpus } from "../corpus/types.js";
import { charTokenizer } from "../testing/formula-model.js";
import { cutWindows, NO_DOCUMENT, type TokenWindow } from "./windows.js";

const corpus: Corpus = {
  name: "three",
  async *documents() {
    yield { id: "a", text: "abcdefg" };
    yield { id: "empty", text: "" };
    yield { id: "b", text: "hijk" };
  },
};
const tok = charTokenizer();
const id = (ch: string): number => tok.encode(ch)[0]!;

async function collect(bos: boolean, context: number, documents: string[]): Promise<TokenWindow[]> {
  const out: TokenWindow[] = [];
  for await (const w of cutWindows(corpus, tok, { context, bos }, documents)) out.push(w);
  return out;
}

test("without BOS the stream is cut into full windows, documents separated by end-of-text", async () => {
  const documents: string[] = [];
  const windows = await collect(false, 4, documents);
  assert.deepEqual(documents, ["a", "b"]);
  assert.deepEqual(
    windows.map((w) => tok.decode(w.tokens)),
    ["abcd", "efg<eot>", "hijk"],
  );
  assert.deepEqual([...windows[1]!.docs], [0, 0, 0, NO_DOCUMENT]);
  assert.deepEqual([...windows[1]!.offsets], [4, 5, 6, -1]);
  assert.deepEqual([...windows[2]!.docs], [1, 1, 1, 1]);
  assert.deepEqual([...windows[2]!.offsets], [0, 1, 2, 3]);
});

test("with BOS every window starts with BOS and carries context − 1 stream tokens; a short tail is dropped", async () => {
  const windows = await collect(true, 4, []);
  assert.deepEqual(
    windows.map((w) => tok.decode(w.tokens)),
    ["<eot>abc", "<eot>def", "<eot>g<eot>h", "<eot>ijk"],
  );
  for (const w of windows) {
    assert.equal(w.tokens.length, 4);
    assert.equal(w.docs[0], NO_DOCUMENT);
  }
  assert.deepEqual([...windows[2]!.docs], [NO_DOCUMENT, 0, NO_DOCUMENT, 1]);
  assert.deepEqual([...windows[2]!.offsets], [-1, 6, -1, 0]);
  assert.equal(tok.encode("hijk")[windows[3]!.offsets[1]!], id("i"));
});

test("a window's provenance points back at the right characters", async () => {
  const texts: Record<string, string> = { a: "abcdefg", b: "hijk" };
  const documents: string[] = [];
  for (const w of await collect(false, 3, documents)) {
    w.tokens.forEach((token, p) => {
      const doc = w.docs[p]!;
      if (doc === NO_DOCUMENT) return;
      assert.equal(token, tok.encode(texts[documents[doc]!]!)[w.offsets[p]!]);
    });
  }
});

test("BOS without a BOS token is refused with the fix", async () => {
  const noBos = { ...tok, bosTokenId: null };
  await assert.rejects(async () => {
    for await (const _ of cutWindows(corpus, noBos, { context: 4, bos: true }, [])) break;
  }, /without --bos/);
});
