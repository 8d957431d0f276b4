import assert from "node:assert/strict";
import { test } from "node:test";
import { demoDesign } from "./demo.js";
import { CELL_KEYS, DesignError, parseDesign, splitSpan } from "./design.js";

const demo = () =>
  structuredClone(demoDesign()) as unknown as Record<string, unknown> & { prompts: Record<string, string[]> };

test("the demo design parses: two factors, four cells of at least five prompts", () => {
  const design = demoDesign();
  assert.equal(design.readout, "mean");
  for (const cell of CELL_KEYS) assert.ok(design.prompts[cell].length >= 5, cell);
  assert.deepEqual(design.a.levels, ["no place", "Mexico"]);
});

test("a short cell is named with its levels", () => {
  const raw = demo();
  raw.prompts["a1b0"] = raw.prompts["a1b0"]!.slice(0, 4);
  assert.throws(
    () => parseDesign(raw),
    (error: unknown) =>
      error instanceof DesignError &&
      error.field === "prompts.a1b0" &&
      /cell \(place Mexico, topic no war\) has 4 prompts; give at least 5/.test(error.message),
  );
});

test("empty prompts, unknown cells, bad readouts, spans and targets are refused naming the field", () => {
  const cases: [(raw: ReturnType<typeof demo>) => void, RegExp][] = [
    [(r) => (r.prompts["a0b1"]![2] = "  "), /prompts\.a0b1\[2\]: is empty/],
    [(r) => (r.prompts["a2b0"] = []), /prompts: has unknown cell a2b0/],
    [(r) => (r["readout"] = "first"), /readout: must be one of last, max, mean/],
    [(r) => (r.prompts["a0b0"]![0] = "the [[war"), /prompts\.a0b0\[0\]: marks its span wrongly/],
    [(r) => (r["targets"] = [3, -1]), /targets\[1\]: -1 is not a feature index/],
    [(r) => ((r["a"] as { levels: string[] }).levels = ["only"]), /a\.levels: give exactly two level labels/],
    [(r) => (r["name"] = ""), /name: give a non-empty text/],
  ];
  for (const [edit, message] of cases) {
    const raw = demo();
    edit(raw);
    assert.throws(() => parseDesign(raw), message);
  }
  assert.throws(() => parseDesign(null), /design: give a JSON object/);
});

test("a marked span splits the prompt", () => {
  assert.deepEqual(splitSpan("the war with [[Mexico]] ended"), {
    before: "the war with ",
    span: "Mexico",
    after: " ended",
  });
  assert.equal(splitSpan("no span"), null);
  assert.throws(() => splitSpan("[[ ]]"), /empty span/);
});
