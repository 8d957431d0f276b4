import assert from "node:assert/strict";
import { test } from "node:test";
import { cosineLr } from "./cosine-schedule.js";

test("warms up linearly, peaks at the end of the warm-up, then follows a cosine down to lrEnd", () => {
  const s = { lr: 1, lrEnd: 0.1, warmup: 0.1 };
  assert.equal(cosineLr(0, s), 0);
  assert.ok(Math.abs(cosineLr(0.05, s) - 0.5) < 1e-12);
  assert.equal(cosineLr(0.1, s), 1);
  assert.ok(Math.abs(cosineLr(0.55, s) - 0.55) < 1e-12, "halfway through the decay: the mean of lr and lrEnd");
  assert.ok(Math.abs(cosineLr(1, s) - 0.1) < 1e-12);
  assert.ok(Math.abs(cosineLr(2, s) - 0.1) < 1e-12, "progress past 1 holds lrEnd");
  assert.ok(cosineLr(0.7, s) < cosineLr(0.6, s));
});
