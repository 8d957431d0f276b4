import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFeatureOutcomes, isActiveRun, parseRunForm } from "./runs";

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const complete = { name: " sotu L3 ", model: "models/sotu", layer: "3", tokens: "20000", dSae: "256", nfmK: "16" };

test("only queued and running runs are active", () => {
  assert.equal(isActiveRun("QUEUED"), true);
  assert.equal(isActiveRun("RUNNING"), true);
  assert.equal(isActiveRun("SUCCEEDED"), false);
  assert.equal(isActiveRun("CANCELLED"), false);
});

test("a complete form becomes a StudyRunInput with numbers", () => {
  assert.deepEqual(parseRunForm(form(complete)), {
    ok: true,
    input: { name: "sotu L3", model: "models/sotu", layer: 3, tokens: 20000, dSae: 256, nfmK: 16 },
  });
});

test("bad fields are named in the message", () => {
  assert.deepEqual(parseRunForm(form({ ...complete, model: " " })), {
    ok: false,
    message: "Model is empty: give a local model directory or a Hugging Face id.",
  });
  assert.deepEqual(parseRunForm(form({ ...complete, layer: "-1" })), {
    ok: false,
    message: 'Layer must be a whole number ≥ 0 (got "-1").',
  });
  assert.deepEqual(parseRunForm(form({ ...complete, dSae: "2.5" })), {
    ok: false,
    message: 'SAE width must be a whole number ≥ 1 (got "2.5").',
  });
});

test("an explain run's feature outcomes are summed up with the features that failed or were skipped", () => {
  assert.equal(describeFeatureOutcomes([]), "");
  assert.equal(
    describeFeatureOutcomes([
      { featureIndex: 3, status: "explained" },
      { featureIndex: 8, status: "failed" },
      { featureIndex: 7, status: "explained" },
      { featureIndex: 9, status: "skipped" },
    ]),
    "features: 2 explained, 1 failed (#8), 1 skipped (#9)",
  );
});
