import assert from "node:assert/strict";
import { test } from "node:test";
import { phaseReporter, type StudyProgress } from "./progress.js";

test("phase progress maps into the study's bar, clamped, and the joint mode takes part of the interactions' share", () => {
  const seen: StudyProgress[] = [];
  const report = phaseReporter({ jointSteps: 0 }, (p) => seen.push(p));
  report("harvest", 0.5, "h");
  report("sae", 2, "s");
  report("interactions", 1, "i");
  assert.deepEqual(
    seen.map((p) => p.fraction),
    [0.125, 0.4, 0.95],
  );
  const joint: StudyProgress[] = [];
  phaseReporter({ jointSteps: 10 }, (p) => joint.push(p))("interactions", 1, "i");
  assert.equal(joint[0]?.fraction, 0.8);
});
