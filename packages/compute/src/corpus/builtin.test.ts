import assert from "node:assert/strict";
import { test } from "node:test";
import { mobyDickCorpus, sotuCorpus } from "./builtin.js";
import type { Corpus, CorpusDocument } from "./types.js";

async function collect(corpus: Corpus): Promise<CorpusDocument[]> {
  const docs: CorpusDocument[] = [];
  for await (const doc of corpus.documents()) docs.push(doc);
  return docs;
}

test("sotu yields every address oldest first, with year and president", async () => {
  const docs = await collect(sotuCorpus());
  assert.ok(docs.length > 200, `expected > 200 addresses, got ${docs.length}`);
  const first = docs[0]!;
  assert.equal(first.id, "1790_george_washington_n.txt");
  assert.equal(first.meta?.year, 1790);
  assert.equal(first.meta?.president, "George Washington");
  assert.match(first.text, /^Fellow-Citizens of the Senate/);
  assert.equal(new Set(docs.map((d) => d.id)).size, docs.length, "ids are unique");
  const years = docs.map((d) => Number(d.meta?.year));
  assert.deepEqual(
    years,
    [...years].sort((a, b) => a - b),
  );
});

test("moby-dick yields the book in order with chapter titles", async () => {
  const docs = await collect(mobyDickCorpus());
  const chapter1 = docs.find((d) => d.id === "chapter_1.txt");
  assert.ok(chapter1);
  assert.equal(chapter1.meta?.title, "Loomings.");
  assert.match(chapter1.text, /^Call me Ishmael\./);
  assert.ok(docs.indexOf(chapter1) < docs.findIndex((d) => d.id === "chapter_2.txt"));
  assert.equal(docs.at(-1)?.id, "epilogue.txt");
});
