import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFailure, unreachableMessage } from "./errors";

const url = "http://127.0.0.1:4000/graphql";

test("a refused connection says how to start the server", () => {
  const refused = new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
  });
  const message = describeFailure({ networkError: refused, graphQLErrors: [] }, url);
  assert.equal(message, unreachableMessage(url));
  assert.match(
    message,
    /Cannot reach the Interlace server at http:\/\/127\.0\.0\.1:4000\/graphql: start it with `npm start`/,
  );
});

test("a non-GraphQL answer names the endpoint and the status", () => {
  const message = describeFailure({ networkError: new Error("Not Found"), graphQLErrors: [] }, url);
  assert.match(message, /did not answer with GraphQL \(Not Found\)/);
});

test("GraphQL errors are passed on verbatim", () => {
  const message = describeFailure(
    { graphQLErrors: [{ message: "study 9 not found" }, { message: "bad cursor" }] },
    url,
  );
  assert.equal(message, "The Interlace server reported: study 9 not found; bad cursor");
});
