import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { migrate, openDatabase, saveStudy } from "@interlace/server";
import {
  type ClaudeStub,
  cannedExplanation,
  explainStudy,
  honestScorer,
  promptKind,
  startClaudeStub,
} from "@interlace/server/testing";
import { runCli } from "./support/cli.js";

const home = mkdtempSync(join(tmpdir(), "interlace-explain-cli-"));
let stub: ClaudeStub;
/** Features whose explain call the stub answers with 500, forever (8 is among the 3 densest: 6, 8, 10). */
const broken = new Set<number>([8]);

before(async () => {
  const db = await openDatabase({ home, databaseUrl: undefined });
  try {
    await migrate(db.sql);
    await saveStudy(db.sql, explainStudy({ name: "cli explain study" }));
  } finally {
    await db.close();
  }
  stub = await startClaudeStub((request) => {
    const feature = Number(/<< fruit(\d+)>>/.exec(request.prompt)?.[1] ?? -1);
    if (promptKind(request.prompt) === "explain" && broken.has(feature)) {
      return { status: 500, message: "stub: internal error", headers: { "retry-after-ms": "5" } };
    }
    return {
      text: promptKind(request.prompt) === "explain" ? cannedExplanation(request.prompt) : honestScorer(request.prompt),
    };
  });
});

after(async () => {
  await stub?.close();
  rmSync(home, { recursive: true, force: true });
});

const env = () => ({
  INTERLACE_HOME: home,
  ANTHROPIC_API_KEY: "sk-cli-test",
  ANTHROPIC_BASE_URL: stub.url,
  INTERLACE_CLAUDE_MODEL: "claude-cli-test",
});

test("interlace explain explains and scores the features in-process and exits 0 when each has an explanation", async () => {
  const result = await runCli(["explain", "--study", "cli explain study", "--features", "0,2"], env());
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /\[\d\/2\] feature 0: explained "Fires on the word \\"fruit0\\"." detection 1\.00 \(n=8\), fuzzing 1\.00 \(n=4\)/,
  );
  assert.match(result.stderr, /random-explanation baseline: detection/);
  assert.match(result.stdout, /explained 2 of 2 features, \d+ tokens/);
});

test("a feature whose calls keep failing is reported with the API's message and the exit code is 1", async () => {
  const result = await runCli(
    ["explain", "--study", "cli explain study", "--top", "3", "--scorers", "detection"],
    env(),
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /feature 8: failed {2}\[500: stub: internal error\]/);
  assert.match(result.stdout, /explained 2 of 3 features, 1 failed/);
});

test("without a key, or asking too much, it refuses before any call", async () => {
  const calls = stub.requests.length;
  const noKey = await runCli(["explain", "--study", "cli explain study", "--top", "1"], {
    ...env(),
    ANTHROPIC_API_KEY: "",
  });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /not configured: set ANTHROPIC_API_KEY/);
  const tooMany = await runCli(["explain", "--study", "cli explain study", "--top", "3"], {
    ...env(),
    INTERLACE_EXPLAIN_MAX_FEATURES: "2",
  });
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /--top must be a whole number between 1 and 2 \(INTERLACE_EXPLAIN_MAX_FEATURES\)/);
  const badScorer = await runCli(
    ["explain", "--study", "cli explain study", "--top", "1", "--scorers", "vibes"],
    env(),
  );
  assert.match(badScorer.stderr, /--scorers: "vibes" is not a scorer; use detection or fuzzing/);
  assert.equal(stub.requests.length, calls, "no call was made");
});
