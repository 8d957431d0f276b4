import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeNumberCursor, encodeCursor, InvalidCursorError } from "./cursor.js";

test("cursors round-trip their key exactly", () => {
  const key = [0.1 + 0.2, 17];
  assert.deepEqual(decodeNumberCursor(encodeCursor(key), 2), key);
});

test("foreign or malformed cursors are rejected naming the argument", () => {
  for (const bad of ["", "not-base64-json", encodeCursor([1]), encodeCursor(["x", 1])]) {
    assert.throws(
      () => decodeNumberCursor(bad, 2, "after"),
      (error: unknown) => {
        assert.ok(error instanceof InvalidCursorError);
        assert.match(error.message, /^after is not a cursor/);
        return true;
      },
    );
  }
});
