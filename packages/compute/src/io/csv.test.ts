import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "./csv.js";

test("parseCsv reads quoted fields with commas, quotes and newlines", () => {
  const table = parseCsv('a,b\r\n1,"x, ""y"""\n2,"line\nbreak"\n');
  assert.deepEqual(table.header, ["a", "b"]);
  assert.deepEqual(table.column("b"), ['x, "y"', "line\nbreak"]);
  assert.deepEqual(table.column("a"), ["1", "2"]);
});

test("parseCsv names a missing column and a ragged record", () => {
  assert.throws(() => parseCsv("a,b\n1,2\n").column("c"), /no column "c"; its columns are a, b/);
  assert.throws(() => parseCsv("a,b\n1\n"), /record 1 has 1 fields but the header has 2/);
});
