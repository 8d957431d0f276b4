import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openStudyArtifacts, type StudyArtifacts } from "../study/artifacts.js";
import { fixturePath } from "../testing/fixtures.js";
import { writeReadableStudy } from "../testing/readable-study.js";
import { analyzeText } from "./analyze.js";
import { SteerInputError } from "./features.js";
import { SteerTimeoutError, steerGenerate } from "./steer.js";
import { StudyReader } from "./study-reader.js";

const work = mkdtempSync(join(tmpdir(), "study-reader-"));
const modelDir = fixturePath("models", "sotu-gpt2-6l");
const first = { workDir: writeReadableStudy(join(work, "a")), modelDir };
const second = { workDir: writeReadableStudy(join(work, "b")), modelDir };
let local: StudyArtifacts;
// One named engine for both sides: "auto" measures the engines in each thread, and two threads of a busy machine can
// choose differently, with outputs that then differ by float rounding.
const reader = new StudyReader({ backend: "wasm", cacheSize: 1 });

before(async () => {
  local = await openStudyArtifacts({ workDir: first.workDir, modelDir, backend: "wasm" });
});
after(async () => {
  local.dispose();
  await reader.close();
  rmSync(work, { recursive: true, force: true });
});

test("the reader answers from its worker thread as the compute functions do, loading a study once", async () => {
  const text = "Fellow citizens, the state of the Union is strong.";
  const cold = await reader.analyze(first, text);
  const warm = await reader.analyze(first, text);
  assert.equal(cold.cold, true);
  assert.equal(warm.cold, false);
  assert.equal(cold.hook, "blocks.3.hook_resid_post");
  assert.deepEqual(warm.result, analyzeText(local, text));
  const features = [{ index: 647, mode: "clamp" as const, value: 0 }];
  const steered = await reader.steer(first, {
    prompt: "The people of the United States",
    features,
    maxNewTokens: 6,
    seed: null,
  });
  const direct = steerGenerate(local.model, local.sae, local.hook, "The people of the United States", features, {
    maxNewTokens: 6,
  });
  assert.deepEqual(steered.result.steered.tokenIds, direct.steered.tokenIds);
  assert.deepEqual(steered.result.baseline.tokenIds, direct.baseline.tokenIds);
});

test("with room for one study, reading another evicts the first", async () => {
  await reader.analyze(first, "The Congress");
  assert.equal((await reader.analyze(second, "The Congress")).cold, true);
  assert.equal((await reader.analyze(first, "The Congress")).cold, true);
});

test("concurrent requests for two studies with room for one are answered in order, each on a loaded study", async () => {
  const answers = await Promise.all([
    reader.analyze(first, "The people"),
    reader.analyze(second, "The people"),
    reader.analyze(first, "The people"),
  ]);
  assert.deepEqual(
    answers.map((a) => a.cold),
    [false, true, true],
    "the first study (loaded by the test before) is evicted by the second, then loaded again",
  );
  assert.deepEqual(answers[0]!.result, answers[2]!.result);
});

test("bad input and the time limit come back as their own errors", async () => {
  await assert.rejects(
    reader.steer(first, {
      prompt: "The",
      features: [{ index: 5000, mode: "add", value: 1 }],
      maxNewTokens: 4,
      seed: null,
    }),
    (e: unknown) =>
      e instanceof SteerInputError && e.argument === "index" && /feature 5000 does not exist/.test(e.message),
  );
  const hurried = new StudyReader({ backend: "auto", cacheSize: 1, timeoutMs: 1 });
  try {
    await assert.rejects(hurried.analyze(first, "The Congress"), (e: unknown) => e instanceof SteerTimeoutError);
  } finally {
    await hurried.close();
  }
});
