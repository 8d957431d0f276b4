import assert from "node:assert/strict";
import { test } from "node:test";
import { argmax, checkSampling, sampleNext, seededRandom } from "./sampling.js";

const logits = [0.1, 3, 2.9, -1, 0.5];

test("temperature 0 is greedy", () => {
  assert.equal(sampleNext(logits, {}, seededRandom(1)), 1);
  assert.equal(argmax(logits), 1);
});

test("the same seed gives the same draws, different seeds differ", () => {
  const draw = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 50 }, () => sampleNext(logits, { temperature: 1 }, random));
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
});

test("top-k keeps only the k most likely tokens", () => {
  const random = seededRandom(3);
  const seen = new Set(Array.from({ length: 300 }, () => sampleNext(logits, { temperature: 5, topK: 2 }, random)));
  assert.deepEqual([...seen].sort(), [1, 2]);
});

test("top-p keeps the smallest set reaching p", () => {
  const random = seededRandom(4);
  const peaked = [10, 0, 0, 0];
  const seen = new Set(Array.from({ length: 200 }, () => sampleNext(peaked, { temperature: 1, topP: 0.9 }, random)));
  assert.deepEqual([...seen], [0]);
  const all = new Set(Array.from({ length: 400 }, () => sampleNext(logits, { temperature: 1, topP: 1 }, random)));
  assert.ok(all.size >= 4);
});

test("sampling frequencies follow the softmax", () => {
  const random = seededRandom(5);
  const two = [Math.log(3), 0];
  let zeros = 0;
  for (let i = 0; i < 4000; i++) if (sampleNext(two, { temperature: 1 }, random) === 0) zeros++;
  assert.ok(Math.abs(zeros / 4000 - 0.75) < 0.03, `${zeros / 4000}`);
});

test("bad sampling settings name the setting", () => {
  assert.throws(() => checkSampling({ temperature: -1 }), /temperature must be ≥ 0/);
  assert.throws(() => checkSampling({ topK: 1.5 }), /top-k must be an integer/);
  assert.throws(() => checkSampling({ topP: 0 }), /top-p must be in \(0, 1\]/);
});
