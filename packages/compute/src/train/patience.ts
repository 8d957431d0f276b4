/** The patience rule of early stopping, shared by every trainer that stops on validation (NFMs, controls, SAEs). */

/**
 * Counts validation measurements without progress: progress is a rise of more than `minDelta` over the ER at the last
 * progress, so a run that only creeps upward (a few 1e-5 of ER per measurement) ends instead of using its whole budget.
 * Returns a function of each new measurement that says whether patience has run out.
 */
export function patienceCounter(start: number, rule: { patience: number; minDelta?: number }): (er: number) => boolean {
  const minDelta = rule.minDelta ?? 0;
  if (!(minDelta >= 0)) throw new Error(`early stopping needs minDelta ≥ 0, got ${minDelta}.`);
  let reference = start;
  let since = 0;
  return (er) => {
    if (er > reference + minDelta) {
      reference = er;
      since = 0;
      return false;
    }
    since++;
    return since >= rule.patience;
  };
}
