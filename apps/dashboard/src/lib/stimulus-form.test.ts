import assert from "node:assert/strict";
import { test } from "node:test";
import { CELLS, EMPTY_FIELDS, fieldsOfDesign, parseDesignFields } from "./stimulus-form";
import { contrastSentence, itemHref, pairHref } from "./stimulus-results";

const five = (word: string) => Array.from({ length: 5 }, (_, i) => `${word} ${i}`).join("\n");
const filled = {
  ...EMPTY_FIELDS,
  name: "test",
  aName: "place",
  aPresent: "Mexico",
  bName: "topic",
  bPresent: "war",
  prompts: Object.fromEntries(CELLS.map((c) => [c, five(c)])) as Record<(typeof CELLS)[number], string>,
};

test("a complete form becomes the API's design; blank lines are dropped", () => {
  const outcome = parseDesignFields({
    ...filled,
    targets: "3, 7 11",
    prompts: { ...filled.prompts, a0b0: `\n${five("x")}\n\n` },
  });
  assert.ok(outcome.ok);
  assert.deepEqual(outcome.design.a, { name: "place", levels: ["absent", "Mexico"] });
  assert.equal(outcome.design.prompts.a0b0.length, 5);
  assert.deepEqual(outcome.design.targets, [3, 7, 11]);
  assert.equal(outcome.anovaType, 2);
  assert.deepEqual(fieldsOfDesign(outcome.design)?.prompts.a1b1, filled.prompts.a1b1);
});

test("the browser names the short cell with its levels, and bad targets or measures", () => {
  const short = parseDesignFields({ ...filled, prompts: { ...filled.prompts, a1b0: "one\ntwo" } });
  assert.deepEqual(short, {
    ok: false,
    field: "prompts.a1b0",
    message: "Cell a1b0 (place Mexico, topic absent) has 2 prompts; give at least 5, one per line.",
  });
  assert.equal((parseDesignFields({ ...filled, targets: "3, -1" }) as { field: string }).field, "targets");
  assert.equal((parseDesignFields({ ...filled, measure: "norm" }) as { field: string }).field, "measure");
  assert.equal((parseDesignFields({ ...filled, aName: " " }) as { field: string }).field, "aName");
});

test("links and the contrast sentence", () => {
  assert.equal(itemHref("s1", "k_dim", 4), "/studies/s1/k/4");
  assert.equal(itemHref("s1", "feature", 9), "/studies/s1/features/9");
  assert.equal(pairHref("s1", 9, 3), "/studies/s1/interactions/3-9");
  const names = { a: "place", b: "topic", measure: "interaction_norm" };
  assert.match(contrastSentence({ value: 0.5, ci95: [0.2, 0.8], pPermutation: 0.001 }, names), /higher than the sum/);
  assert.match(contrastSentence({ value: -0.1, ci95: [-0.3, 0.1], pPermutation: 0.4 }, names), /includes 0/);
});
