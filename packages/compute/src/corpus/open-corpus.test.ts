import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openCorpus } from "./open-corpus.js";
import type { Corpus } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "interlace-corpus-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function ids(corpus: Corpus): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of corpus.documents()) out.push(doc.id);
  return out;
}

test("a directory corpus reads .txt files recursively in path order", async () => {
  const root = join(dir, "texts");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "b.txt"), "bee");
  writeFileSync(join(root, "a.txt"), "ay");
  writeFileSync(join(root, "sub", "c.txt"), "sea");
  writeFileSync(join(root, "notes.md"), "ignored");
  const corpus = openCorpus(root);
  assert.deepEqual(await ids(corpus), ["a.txt", "b.txt", join("sub", "c.txt")]);
  const texts: string[] = [];
  for await (const doc of corpus.documents()) texts.push(doc.text);
  assert.deepEqual(texts, ["ay", "bee", "sea"]);
});

test("a JSONL corpus takes the text field, the id field when present, skips blank lines", async () => {
  const path = join(dir, "docs.jsonl");
  writeFileSync(path, '{"text":"one","id":"x"}\n\n{"text":"two"}\n');
  const docs = [];
  for await (const doc of openCorpus(path).documents()) docs.push(doc);
  assert.deepEqual(docs, [
    { id: "x", text: "one" },
    { id: "line-3", text: "two" },
  ]);
});

test("a JSONL line without text is named in the error", async () => {
  const path = join(dir, "bad.jsonl");
  writeFileSync(path, '{"text":"ok"}\n{"body":"no"}\n');
  await assert.rejects(ids(openCorpus(path)), /bad\.jsonl line 2 has no string "text"/);
});

test("joined corpora prefix ids with their corpus", async () => {
  const all = await ids(openCorpus("sotu,moby-dick"));
  assert.equal(all[0], "sotu/1790_george_washington_n.txt");
  assert.equal(all.at(-1), "moby-dick/epilogue.txt");
});

test("an unknown corpus lists the choices", () => {
  assert.throws(() => openCorpus("no-such-corpus"), /Unknown corpus "no-such-corpus": choose one of sotu, moby-dick/);
});
