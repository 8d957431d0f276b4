import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { textDirectoryCorpus } from "../corpus/text-directory.js";
import { harvest } from "../harvest/harvest.js";
import { pairContributionRows } from "../nfm/pair-contribution.js";
import { ActivationStore } from "../store/reader.js";
import { openStudyArtifacts, type StudyArtifacts } from "../study/artifacts.js";
import { fixturePath } from "../testing/fixtures.js";
import { writeReadableStudy } from "../testing/readable-study.js";
import { analyzeText } from "./analyze.js";

const TEXT =
  "The people of the United States have a right to expect that the Congress will act on the budget this year.";
const work = mkdtempSync(join(tmpdir(), "analyze-text-"));
let study: StudyArtifacts;

before(async () => {
  const dir = writeReadableStudy(join(work, "study"));
  study = await openStudyArtifacts({ workDir: dir, modelDir: fixturePath("models", "sotu-gpt2-6l"), backend: "auto" });
});
after(() => {
  study.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** The study pipeline's codes of the text: harvest it into an activation store, then encode the stored rows. */
async function pipelineCodes(text: string): Promise<{ tokens: number[]; x: Float32Array; f: Float32Array }> {
  const corpusDir = join(work, "corpus");
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(join(corpusDir, "doc.txt"), text);
  const count = study.model.encode(text).length;
  const out = join(work, "store");
  await harvest({
    model: study.model,
    hook: study.hook,
    corpus: textDirectoryCorpus(corpusDir),
    tokens: count,
    context: count,
    out,
    overwrite: true,
  });
  const store = ActivationStore.open(out);
  const rows = store.readShard(0);
  return { tokens: Array.from(rows.tokens), x: rows.x, f: study.sae.encode(rows.x) };
}

test("analyzeText reads a text with the study pipeline's codes, error and interaction norms, and pairs", async () => {
  const codes = await pipelineCodes(TEXT);
  const reading = analyzeText(study, TEXT, { topFeatures: 6, topPairs: 3, pairCandidates: 5 });
  assert.deepEqual(
    reading.map((t) => t.id),
    codes.tokens,
  );
  const m = study.sae.dSae;
  const d = study.sae.dIn;
  const { xHat } = study.sae.reconstruct(codes.x);
  const interaction = study.nfm!.predictParts(codes.f, codes.x, codes.tokens.length).interaction!;
  reading.forEach((token, r) => {
    const row = codes.f.subarray(r * m, (r + 1) * m);
    const expected = Array.from(row.keys())
      .filter((i) => row[i]! > 0)
      .sort((a, b) => row[b]! - row[a]! || a - b);
    assert.ok(token.features.length === Math.min(6, expected.length), `token ${r} lists its active features`);
    token.features.forEach((feature, k) => {
      assert.equal(feature.index, expected[k], `token ${r}, rank ${k}`);
      assert.ok(Math.abs(feature.value - row[feature.index]!) <= 1e-4);
    });
    let error = 0;
    let inter = 0;
    for (let c = 0; c < d; c++) {
      error += (codes.x[r * d + c]! - xHat[r * d + c]!) ** 2;
      inter += interaction[r * d + c]! ** 2;
    }
    assert.ok(Math.abs(token.errorNorm - Math.sqrt(error)) <= 1e-3 * Math.max(1, Math.sqrt(error)));
    assert.ok(Math.abs(token.interactionNorm! - Math.sqrt(inter)) <= 1e-3 * Math.max(1, Math.sqrt(inter)));
    const candidates = expected.slice(0, 5).sort((a, b) => a - b);
    const pairs = candidates.flatMap((a, i) => candidates.slice(i + 1).map((b) => ({ a, b })));
    const single = codes.f.slice(r * m, (r + 1) * m);
    const contributions = pairContributionRows(study.nfm!, single, 1, pairs);
    const best = pairs
      .map((p, k) => ({ ...p, contribution: contributions[k]! }))
      .filter((p) => p.contribution > 0)
      .sort((p, q) => q.contribution - p.contribution)
      .slice(0, 3);
    assert.deepEqual(
      token.pairs.map((p) => [p.a, p.b]),
      best.map((p) => [p.a, p.b]),
      `token ${r}: top pairs`,
    );
    for (const [k, p] of token.pairs.entries()) assert.ok(Math.abs(p.contribution - best[k]!.contribution) <= 1e-4);
  });
  assert.ok(
    reading.some((t) => t.pairs.length > 0),
    "some token has contributing pairs",
  );
});

test("analyzeText refuses a text over the model's context, naming the argument", () => {
  assert.throws(() => analyzeText(study, " the".repeat(300), { argument: "text" }), /^SteerInputError: text: .*256/);
  assert.throws(() => analyzeText(study, ""), /text: it encodes to no tokens/);
});
