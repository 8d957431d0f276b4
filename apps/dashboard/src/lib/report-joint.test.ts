import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStudyReport } from "./report";

const arm = (name: string, explainedVariance: number) => ({
  name,
  role: name === "sae_alone" ? "sae_alone" : "nfm",
  explained_variance: explainedVariance,
  ci95: [explainedVariance - 0.01, explainedVariance + 0.01],
  l0: 33.3,
  l0_change: -2.9,
  sae_part_explained_variance: 0.69,
});

function jointOf(section: unknown) {
  return parseStudyReport({ joint_finetune: section })?.joint ?? null;
}

test("the joint fine-tuning section keeps its label, arms and comparisons", () => {
  const joint = jointOf({
    label: "Joint fine-tuning: not comparable with the frozen-SAE controls.",
    sentence: "Fine-tuned jointly, SAE + NFM explains 77.85% of the variance of x.",
    steps: 30,
    arms: [arm("sae_alone", 0.74), arm("sae_nfm", 0.78)],
    joint_gain: { value: 0.038, ci95: [0.03, 0.045], arms: ["sae_nfm", "sae_alone"] },
    joint_specificity: null,
  });
  assert.equal(joint?.label, "Joint fine-tuning: not comparable with the frozen-SAE controls.");
  assert.equal(joint?.steps, 30);
  assert.match(joint?.sentence ?? "", /77\.85%/);
  assert.deepEqual(joint?.arms[1], {
    name: "sae_nfm",
    role: "nfm",
    explainedVariance: 0.78,
    ci95: [0.77, 0.79],
    l0: 33.3,
    l0Change: -2.9,
    saePartExplainedVariance: 0.69,
  });
  assert.deepEqual(
    joint?.comparisons.map((c) => [c.key, c.estimate?.value ?? null, c.zeroSide]),
    [
      ["joint_gain", 0.038, "above"],
      ["joint_specificity", null, null],
    ],
    "joint_specificity is listed even when it could not be computed",
  );
});

test("comparisons a newer report adds are listed after the known ones", () => {
  const joint = jointOf({
    label: "Joint",
    arms: [],
    joint_gain: { value: 0.01, ci95: [-0.01, 0.03] },
    joint_specificity: { value: -0.02, ci95: [-0.03, -0.01] },
    joint_interaction_gain: { value: 0.001, ci95: [0, 0.002] },
    joint_new_gain: { value: 0.5, ci95: [0.4, 0.6], arms: ["sae_nfm", "sae_other"] },
    input_scale: 0.6,
  });
  assert.deepEqual(
    joint?.comparisons.map((c) => [c.key, c.zeroSide]),
    [
      ["joint_gain", "includes"],
      ["joint_interaction_gain", "includes"],
      ["joint_specificity", "below"],
      ["joint_new_gain", "above"],
    ],
  );
  assert.equal(joint?.comparisons[3]?.compares, "EV(sae_nfm) − EV(sae_other).");
});

test("an absent, null or malformed joint section is null; malformed arms are dropped", () => {
  assert.equal(jointOf(undefined), null);
  assert.equal(jointOf(null), null);
  assert.equal(jointOf("off"), null);
  assert.equal(jointOf([1, 2]), null);
  const joint = jointOf({ label: 5, arms: [arm("sae_nfm", 0.8), { name: "broken" }, "x"], joint_gain: "big" });
  assert.equal(joint?.label, null);
  assert.equal(joint?.steps, null);
  assert.deepEqual(
    joint?.arms.map((a) => a.name),
    ["sae_nfm"],
  );
  assert.deepEqual(
    joint?.comparisons.map((c) => [c.key, c.estimate]),
    [
      ["joint_gain", null],
      ["joint_specificity", null],
    ],
  );
});
