/** Counts of a binary classifier's answers against the truth. */
export interface ConfusionCounts {
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
}

/** Tallies predictions against the truth (both 0/1 or boolean, same length). */
export function confusionCounts(truth: readonly boolean[], predicted: readonly boolean[]): ConfusionCounts {
  if (truth.length !== predicted.length) {
    throw new Error(`confusionCounts: ${truth.length} truths but ${predicted.length} predictions; give one each.`);
  }
  const counts = { truePositives: 0, falseNegatives: 0, trueNegatives: 0, falsePositives: 0 };
  truth.forEach((positive, i) => {
    const said = predicted[i] === true;
    if (positive) counts[said ? "truePositives" : "falseNegatives"] += 1;
    else counts[said ? "falsePositives" : "trueNegatives"] += 1;
  });
  return counts;
}

/**
 * Balanced accuracy = (TPR + TNR) / 2 with TPR = TP / (TP + FN) and TNR = TN / (TN + FP): the mean recall of the two
 * classes, so 0.5 is chance whatever the class balance. A class with no members contributes nothing (the mean is over
 * the classes present); undefined when there are no answers at all.
 */
export function balancedAccuracy(counts: ConfusionCounts): number | undefined {
  const recalls: number[] = [];
  const positives = counts.truePositives + counts.falseNegatives;
  const negatives = counts.trueNegatives + counts.falsePositives;
  if (positives > 0) recalls.push(counts.truePositives / positives);
  if (negatives > 0) recalls.push(counts.trueNegatives / negatives);
  if (recalls.length === 0) return undefined;
  return recalls.reduce((sum, r) => sum + r, 0) / recalls.length;
}
