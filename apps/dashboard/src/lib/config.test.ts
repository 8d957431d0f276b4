import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_GRAPHQL_URL, graphqlUrl } from "./config";

test("graphqlUrl falls back to the local server when the variable is unset or blank", () => {
  assert.equal(graphqlUrl({}), DEFAULT_GRAPHQL_URL);
  assert.equal(graphqlUrl({ INTERLACE_GRAPHQL_URL: "  " }), DEFAULT_GRAPHQL_URL);
});

test("graphqlUrl takes the configured endpoint", () => {
  assert.equal(graphqlUrl({ INTERLACE_GRAPHQL_URL: "http://server:4100/graphql" }), "http://server:4100/graphql");
});

test("graphqlUrl names the variable when its value is unusable", () => {
  assert.throws(
    () => graphqlUrl({ INTERLACE_GRAPHQL_URL: "localhost 4000" }),
    /INTERLACE_GRAPHQL_URL="localhost 4000"/,
  );
  assert.throws(() => graphqlUrl({ INTERLACE_GRAPHQL_URL: "ftp://host/graphql" }), /must use http or https/);
});
