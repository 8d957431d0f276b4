import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { sotuCorpus } from "../corpus/builtin.js";
import { loadTokenizer } from "../lm/tokenizer.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { encodeLong } from "./encode-long.js";

test("a long text encoded in pieces gives the ids of one call", async () => {
  const tokenizer = loadTokenizer(join(fixtures, "models", "sotu-gpt2-6l"));
  const parts: string[] = [];
  let length = 0;
  for await (const doc of sotuCorpus().documents()) {
    parts.push(doc.text);
    length += doc.text.length;
    if (length > 250_000) break;
  }
  const text = parts.join("\n\n");
  const whole = tokenizer.encode(text);
  const pieces = encodeLong(tokenizer, text);
  assert.equal(pieces.length, whole.length);
  assert.deepEqual(pieces, whole);
});
