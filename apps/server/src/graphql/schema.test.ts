import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { printContract, schemaFile } from "./schema.js";

test("packages/schema/schema.graphql is what the server code emits", async () => {
  const committed = await readFile(schemaFile, "utf8");
  assert.equal(
    committed,
    await printContract(),
    "schema.graphql drifted from the server's types; run `npm run emit-schema -w @interlace/server` and commit it",
  );
});
