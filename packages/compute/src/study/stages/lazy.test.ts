import assert from "node:assert/strict";
import { test } from "node:test";
import { lazy } from "./lazy.js";

test("a lazy resource loads once however often it is asked for, and is disposed once", async () => {
  let loads = 0;
  let disposed = 0;
  const resource = lazy(async () => {
    loads++;
    return { id: loads, dispose: () => disposed++ };
  });
  resource.dispose();
  assert.equal(disposed, 0, "nothing loaded, nothing to dispose");
  const [a, b] = await Promise.all([resource.get(), resource.get()]);
  assert.equal(a, b);
  assert.equal((await resource.get()).id, 1);
  assert.equal(loads, 1);
  resource.dispose();
  resource.dispose();
  assert.equal(disposed, 1);
});
