import assert from "node:assert/strict";
import { test } from "node:test";
import { isHeldOutDocument, splitCorpus } from "./split.js";
import type { Corpus } from "./types.js";

const ids = Array.from({ length: 400 }, (_, i) => `doc-${i}`);
const corpus: Corpus = {
  name: "synthetic",
  async *documents() {
    for (const id of ids) yield { id, text: id };
  },
};

async function collectIds(c: Corpus): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of c.documents()) out.push(doc.id);
  return out;
}

test("train and held-out parts are disjoint, cover the corpus and hold about the asked fraction", async () => {
  const options = { seed: 7, heldOutFraction: 0.25 };
  const train = await collectIds(splitCorpus(corpus, "train", options));
  const heldOut = await collectIds(splitCorpus(corpus, "heldOut", options));
  assert.equal(train.length + heldOut.length, ids.length);
  assert.equal(new Set([...train, ...heldOut]).size, ids.length);
  assert.ok(heldOut.length > 60 && heldOut.length < 140, `held out ${heldOut.length} of 400`);
});

test("the split is fixed by the seed and changes with it", () => {
  const pick = (seed: number) => ids.filter((id) => isHeldOutDocument(id, { seed, heldOutFraction: 0.2 }));
  assert.deepEqual(pick(1), pick(1));
  assert.notDeepEqual(pick(1), pick(2));
});

test("named documents are always held out", () => {
  assert.equal(isHeldOutDocument("doc-3", { seed: 0, heldOutFraction: 0, heldOutIds: ["doc-3"] }), true);
  assert.equal(isHeldOutDocument("doc-4", { seed: 0, heldOutFraction: 0, heldOutIds: ["doc-3"] }), false);
});
