/** Everything a feature page shows about one SAE feature, computed on the study's held-out rows. Plain data. */

/** One equal-width bin (lo, hi] of a histogram. */
export interface HistogramBinData {
  lo: number;
  hi: number;
  count: number;
}

/** A context around one token: token strings and the feature's activation on each. */
export interface ContextExampleData {
  tokens: string[];
  values: number[];
  /** The activation on the example's own token. */
  maxValue: number;
  /** Position of the example's own token in `tokens`. */
  position: number;
}

/** One of the intervals (lo, hi] the range (0, max] is cut into, with seeded examples drawn from it. */
export interface QuantileGroupData extends HistogramBinData {
  examples: ContextExampleData[];
}

export interface LogitEffectData {
  token: string;
  value: number;
}

export interface NeighbourData {
  index: number;
  /** Signed cosine of the two decoder directions. */
  cosine: number;
}

export interface CoActivationData {
  index: number;
  /** Held-out tokens on which both features fire. */
  count: number;
  /** P(a ∧ b) / (P(a) · P(b)). */
  lift: number;
}

export interface FeatureData {
  index: number;
  /** Fraction of held-out tokens on which the feature fires (> 0). */
  density: number;
  maxActivation: number;
  /** Mean of the non-zero activations (0 for a feature that never fires). */
  meanActivation: number;
  /** Non-zero activations in equal-width bins over (0, max]. */
  histogram: HistogramBinData[];
  /** The top activating contexts (at most one per window), strongest first. */
  examples: ContextExampleData[];
  quantiles: QuantileGroupData[];
  /** Largest direct logit effects, descending. */
  topLogits: LogitEffectData[];
  /** Smallest direct logit effects, ascending. */
  bottomLogits: LogitEffectData[];
  /** The direct logit effects over the whole vocabulary in equal-width bins over [min, max]. */
  logitHistogram: HistogramBinData[];
  neighbours: NeighbourData[];
  coActivating: CoActivationData[];
}

/** How much of each thing is kept per feature. */
export interface FeatureDataLimits {
  topExamples: number;
  quantileGroups: number;
  examplesPerGroup: number;
  histogramBins: number;
  logits: number;
  logitBins: number;
  neighbours: number;
  coActivating: number;
  /** Tokens of context before and after an example's token. */
  contextBefore: number;
  contextAfter: number;
}

export const FEATURE_DATA_LIMITS: FeatureDataLimits = {
  topExamples: 20,
  quantileGroups: 10,
  examplesPerGroup: 5,
  histogramBins: 50,
  logits: 10,
  logitBins: 50,
  neighbours: 10,
  coActivating: 10,
  contextBefore: 12,
  contextAfter: 4,
};
