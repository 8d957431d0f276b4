import assert from "node:assert/strict";
import { test } from "node:test";
import { forceLayout } from "./force-layout";

const edges = [
  { a: 1, b: 2, strength: 0.9 },
  { a: 2, b: 3, strength: -0.4 },
  { a: 7, b: 8, strength: 0.2 },
];

test("the layout places every named feature once inside the box, the same way every time", () => {
  const first = forceLayout(edges, 300, 200);
  assert.deepEqual(first.nodes.map((n) => n.feature).sort(), [1, 2, 3, 7, 8]);
  for (const n of first.nodes) {
    assert.ok(n.x >= 16 - 1e-9 && n.x <= 284 + 1e-9 && n.y >= 16 - 1e-9 && n.y <= 184 + 1e-9, `${n.x}, ${n.y}`);
  }
  assert.equal(first.links[0]!.source.feature, 1);
  assert.equal(first.links[1]!.strength, -0.4);
  const again = forceLayout(edges, 300, 200);
  assert.deepEqual(
    again.nodes.map((n) => [n.x, n.y]),
    first.nodes.map((n) => [n.x, n.y]),
  );
});
