import assert from "node:assert/strict";
import { test } from "node:test";
import { currentCursor, cursorTrail, nextPageHref, pageNumber, previousPageHref, withParam } from "./pagination";

test("the first page has no cursor and no previous page", () => {
  assert.equal(currentCursor({}, "after"), undefined);
  assert.equal(pageNumber({}, "after"), 1);
  assert.equal(previousPageHref("/studies/1", {}, "after"), undefined);
});

test("walking forward appends the end cursor and keeps the other parameters", () => {
  const first = nextPageHref("/studies/1", { order: "DENSITY_DESC" }, "after", "c:25");
  assert.equal(first, "/studies/1?order=DENSITY_DESC&after=c%3A25");
  const params = Object.fromEntries(new URLSearchParams(first.split("?")[1]));
  const second = nextPageHref("/studies/1", { ...params, after: ["c:25"] }, "after", "c:50");
  assert.equal(second, "/studies/1?order=DENSITY_DESC&after=c%3A25&after=c%3A50");
});

test("the current cursor is the last one walked and previous drops it", () => {
  const params = { order: "DENSITY_ASC", after: ["a", "b", "c"] };
  assert.equal(currentCursor(params, "after"), "c");
  assert.equal(pageNumber(params, "after"), 4);
  assert.equal(previousPageHref("/s", params, "after"), "/s?order=DENSITY_ASC&after=a&after=b");
  assert.equal(previousPageHref("/s", { after: "a" }, "after"), "/s");
});

test("empty cursors in a hand-edited URL are ignored", () => {
  assert.deepEqual(cursorTrail({ after: ["", "x"] }, "after"), ["x"]);
  assert.equal(currentCursor({ after: "" }, "after"), undefined);
});

test("changing the sort order starts again from the first page", () => {
  const params = { order: "DENSITY_DESC", after: ["a", "b"], partnersAfter: "p" };
  assert.equal(
    withParam("/s", params, "order", "MAX_ACTIVATION_DESC", "after"),
    "/s?order=MAX_ACTIVATION_DESC&partnersAfter=p",
  );
  assert.equal(withParam("/s", params, "order", undefined, "after"), "/s?partnersAfter=p");
});
