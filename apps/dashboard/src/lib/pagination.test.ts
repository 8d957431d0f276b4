import assert from "node:assert/strict";
import { test } from "node:test";
import { currentCursor, firstPageHref, nextPageHref, pageNumber, withParam } from "./pagination";

test("the first page has no cursor and no first-page link", () => {
  assert.equal(currentCursor({}, "after"), undefined);
  assert.equal(pageNumber({}, "after"), 1);
  assert.equal(firstPageHref("/studies/1", {}, "after"), undefined);
});

test("walking forward replaces the cursor and the page number instead of appending to the URL", () => {
  const second = nextPageHref("/studies/1", { order: "DENSITY_DESC" }, "after", "c:25");
  assert.equal(second, "/studies/1?order=DENSITY_DESC&after=c%3A25&page=2");
  const params = Object.fromEntries(new URLSearchParams(second.split("?")[1]));
  const third = nextPageHref("/studies/1", params, "after", "c:50");
  assert.equal(third, "/studies/1?order=DENSITY_DESC&after=c%3A50&page=3");
  assert.equal(pageNumber(Object.fromEntries(new URLSearchParams(third.split("?")[1])), "after"), 3);
});

test("first page drops the cursor and the page number and keeps the rest", () => {
  assert.equal(firstPageHref("/s", { order: "DENSITY_ASC", after: "c", page: "4" }, "after"), "/s?order=DENSITY_ASC");
});

test("hand-edited URLs: an empty or repeated cursor, a missing or bad page number", () => {
  assert.equal(currentCursor({ after: "" }, "after"), undefined);
  assert.equal(currentCursor({ after: ["a", "b"] }, "after"), "b");
  assert.equal(pageNumber({ after: "a" }, "after"), 2);
  assert.equal(pageNumber({ after: "a", page: "x" }, "after"), 2);
  assert.equal(pageNumber({ page: "7" }, "after"), 1);
});

test("changing the sort order starts again from the first page", () => {
  const params = { order: "DENSITY_DESC", after: "b", page: "3", partnersAfter: "p" };
  assert.equal(
    withParam("/s", params, "order", "MAX_ACTIVATION_DESC", "after"),
    "/s?order=MAX_ACTIVATION_DESC&partnersAfter=p",
  );
  assert.equal(withParam("/s", params, "order", undefined, "after"), "/s?partnersAfter=p");
});
