import assert from "node:assert/strict";
import { test } from "node:test";
import { sseEvent, subscriptionUrl } from "./run-events";

test("the API's WebSocket address follows its GraphQL URL's scheme", () => {
  assert.equal(subscriptionUrl("http://127.0.0.1:4000/graphql"), "ws://127.0.0.1:4000/graphql");
  assert.equal(subscriptionUrl("https://api.example.org/graphql"), "wss://api.example.org/graphql");
});

test("a server-sent event carries its data as one JSON line, under its name when given", () => {
  assert.equal(sseEvent({ progress: 0.5 }), 'data: {"progress":0.5}\n\n');
  assert.equal(sseEvent({ message: "two\nlines" }, "failure"), 'event: failure\ndata: {"message":"two\\nlines"}\n\n');
});
