import assert from "node:assert/strict";
import { test } from "node:test";
import type { Sql } from "../db/sql.js";
import { testServerConfig } from "../testing/test-server.js";
import { runExecutor } from "./run-executor.js";

test("the worker's executor refuses a run kind it does not know, naming the kinds it runs", async () => {
  const executor = runExecutor({} as Sql, testServerConfig());
  const controls = {
    reportProgress: async () => undefined,
    isCancelled: () => false,
    signal: new AbortController().signal,
  };
  await assert.rejects(
    Promise.resolve().then(() => executor({ id: "r", kind: "steer", params: {}, attempts: 1 }, controls)),
    /this worker runs study, feature-data, demo-model, stimulus, explain runs, not "steer"/,
  );
});
