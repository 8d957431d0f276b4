import assert from "node:assert/strict";
import { test } from "node:test";
import { TickBatcher } from "./tick-batcher.js";

test("keys requested in the same turn load together, in order", async () => {
  const calls: number[][] = [];
  const batcher = new TickBatcher(async (keys: number[]) => {
    calls.push(keys);
    return keys.map((key) => key * 10);
  });
  const first = await Promise.all([batcher.load(1), batcher.load(2), Promise.resolve().then(() => batcher.load(3))]);
  assert.deepEqual(first, [10, 20, 30]);
  assert.deepEqual(await batcher.load(4), 40);
  assert.deepEqual(calls, [[1, 2, 3], [4]]);
});

test("a failed load rejects every key of its batch", async () => {
  const batcher = new TickBatcher<number, number>(async () => {
    throw new Error("down");
  });
  const results = await Promise.allSettled([batcher.load(1), batcher.load(2)]);
  assert.deepEqual(
    results.map((result) => result.status),
    ["rejected", "rejected"],
  );
});
