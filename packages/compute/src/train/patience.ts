/**
 * The plateau rule of early stopping, shared by every trainer that stops on validation (NFMs, controls, SAEs): a
 * plateau of `patience` measurements without progress first lowers the learning rate (reduce-on-plateau, up to
 * `lrDrops` times by `lrFactor`), and the run ends on the plateau that finds no drop left.
 */

export interface PlateauRule {
  /** Measurements without progress that make a plateau. */
  patience: number;
  /** Smallest rise that counts as progress (default 0: any rise). */
  minDelta?: number;
  /** How many plateaus lower the learning rate before one ends the run (default 0: the first plateau ends it). */
  lrDrops?: number;
  /** Factor of each drop (default 0.3). */
  lrFactor?: number;
}

export interface Plateau {
  /** Takes the next measurement; true when the run should stop. */
  observe(score: number): boolean;
  /** The factor on the schedule's learning rate: lrFactor^(drops so far). */
  readonly lrScale: number;
  /** Drops taken so far. */
  readonly drops: number;
}

/**
 * Tracks validation measurements from `start`. Progress is a rise of more than `minDelta` over the score at the last
 * progress, so a run that only creeps upward (a few 1e-5 per measurement) reaches a plateau instead of using its
 * whole budget; after a drop the count starts again from the score at the last progress.
 */
export function plateauOf(start: number, rule: PlateauRule): Plateau {
  const { minDelta, lrDrops, lrFactor } = checkPlateauRule(rule);
  let reference = start;
  let since = 0;
  let drops = 0;
  return {
    observe(score) {
      if (score > reference + minDelta) {
        reference = score;
        since = 0;
        return false;
      }
      if (++since < rule.patience) return false;
      if (drops >= lrDrops) return true;
      drops++;
      since = 0;
      return false;
    },
    get lrScale() {
      return lrFactor ** drops;
    },
    get drops() {
      return drops;
    },
  };
}

/** The rule with its defaults, or an error naming the setting that is out of range. */
export function checkPlateauRule(rule: PlateauRule): Required<Omit<PlateauRule, "patience">> {
  const minDelta = rule.minDelta ?? 0;
  const lrDrops = rule.lrDrops ?? 0;
  const lrFactor = rule.lrFactor ?? 0.3;
  if (!(Number.isInteger(rule.patience) && rule.patience >= 1)) {
    throw new Error(`early stopping needs a whole patience ≥ 1, got ${rule.patience}.`);
  }
  if (!(minDelta >= 0)) throw new Error(`early stopping needs minDelta ≥ 0, got ${minDelta}.`);
  if (!(Number.isInteger(lrDrops) && lrDrops >= 0)) {
    throw new Error(`early stopping needs a whole number of learning-rate drops ≥ 0, got ${lrDrops}.`);
  }
  if (!(lrFactor > 0 && lrFactor < 1))
    throw new Error(`the learning-rate drop factor must be in (0, 1), got ${lrFactor}.`);
  return { minDelta, lrDrops, lrFactor };
}
