import assert from "node:assert/strict";
import { test } from "node:test";
import { changedTokens, pairHref, parseSteerForm, readTextHref, valuePresets } from "./steering";

test("presets are 0, twice and four times the max activation", () => {
  assert.deepEqual(
    valuePresets(2.5).map((p) => p.value),
    [0, 5, 10],
  );
  assert.deepEqual(
    valuePresets(0).map((p) => p.value),
    [0, 2, 4],
  );
});

test("the form refuses a bad mode, value, empty prompt or token count, naming the field", () => {
  const good = { mode: "clamp", value: "0", prompt: "The people", maxNewTokens: "16" };
  assert.deepEqual(parseSteerForm(good), { ok: true, mode: "clamp", value: 0, prompt: "The people", maxNewTokens: 16 });
  assert.match((parseSteerForm({ ...good, mode: "scale" }) as { message: string }).message, /^Mode/);
  for (const value of ["", "NaN", "Infinity", "abc"]) {
    assert.match((parseSteerForm({ ...good, value }) as { message: string }).message, /^Value/);
  }
  assert.match((parseSteerForm({ ...good, prompt: "  " }) as { message: string }).message, /^Prompt/);
  for (const maxNewTokens of ["0", "65", "2.5"]) {
    assert.match((parseSteerForm({ ...good, maxNewTokens }) as { message: string }).message, /^Max new tokens/);
  }
});

test("changed tokens are those differing from the baseline at the same position", () => {
  assert.deepEqual(changedTokens([1, 2, 3], [1, 5, 3, 4]), [false, true, false, true]);
});

test("links carry the text, the shading and the chosen token; pairs list the smaller index first", () => {
  assert.equal(readTextHref("s 1"), "/studies/s%201/read");
  assert.equal(
    readTextHref("s", { text: "a b&c", shade: "12", token: 3 }),
    "/studies/s/read?text=a+b%26c&shade=12&t=3",
  );
  assert.equal(pairHref("s", 9, 4), "/studies/s/interactions/4-9");
});
