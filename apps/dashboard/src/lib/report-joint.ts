// The optional joint fine-tuning section of report.json (absent or null when the mode was off).
import {
  asEstimate,
  asInterval,
  asListOf,
  asNumber,
  asRecord,
  asString,
  asStringList,
  type JsonRecord,
} from "./json-fields";
import { JOINT_COMPARISON_ENTRIES, zeroSide } from "./report-gains";
import type { JointArm, JointComparison, JointFinetune } from "./report-types";

function parseJointArm(value: unknown): JointArm | null {
  const record = asRecord(value);
  const name = asString(record?.["name"]);
  const explainedVariance = asNumber(record?.["explained_variance"]);
  if (!record || name === null || explainedVariance === null) return null;
  return {
    name,
    role: asString(record["role"]),
    explainedVariance,
    ci95: asInterval(record["ci95"]),
    l0: asNumber(record["l0"]),
    l0Change: asNumber(record["l0_change"]),
    saePartExplainedVariance: asNumber(record["sae_part_explained_variance"]),
  };
}

function jointComparison(key: string, value: unknown, compares: string | undefined): JointComparison {
  const estimate = asEstimate(value);
  const arms = asStringList(asRecord(value)?.["arms"]);
  const fallback =
    arms.length === 2 ? `EV(${arms[0]}) − EV(${arms[1]}).` : "A paired difference of explained variance.";
  return { key, compares: compares ?? fallback, estimate, zeroSide: estimate?.ci95 ? zeroSide(estimate.ci95) : null };
}

/** The known comparisons first, then any other `{ value, ci95 }` entry a newer report adds. */
function parseJointComparisons(joint: JsonRecord): JointComparison[] {
  const known = JOINT_COMPARISON_ENTRIES.filter((entry) => entry.always || entry.key in joint).map((entry) =>
    jointComparison(entry.key, joint[entry.key], entry.compares),
  );
  const extra = Object.keys(joint)
    .filter((key) => !JOINT_COMPARISON_ENTRIES.some((entry) => entry.key === key) && asEstimate(joint[key]) !== null)
    .map((key) => jointComparison(key, joint[key], undefined));
  return [...known, ...extra];
}

export function parseJoint(value: unknown): JointFinetune | null {
  const joint = asRecord(value);
  if (!joint) return null;
  return {
    label: asString(joint["label"]),
    sentence: asString(joint["sentence"]),
    steps: asNumber(joint["steps"]),
    arms: asListOf(joint["arms"], parseJointArm),
    comparisons: parseJointComparisons(joint),
  };
}
