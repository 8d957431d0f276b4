/** What a study run produces; the server stores it, the dashboard shows it. Plain data, no tensors. */
import type { FeatureData } from "./feature-data/types.js";
import type { StudyReport } from "./report-types.js";

export interface ActivationExampleData {
  /** Token surface strings of the context window around the max activation. */
  tokens: string[];
  /** The feature's activation on each token. */
  values: number[];
  maxValue: number;
}

export interface FeatureSummary {
  index: number;
  /** Fraction of held-out tokens on which the feature fires (> 0). */
  density: number;
  maxActivation: number;
  examples: ActivationExampleData[];
}

/** A context where a pair contributes, with both features' activation on each token. */
export interface PairExampleData {
  tokens: string[];
  aValues: number[];
  bValues: number[];
  /** The pair's contribution on the example's own token. */
  contribution: number;
}

export interface InteractionPairData {
  a: number;
  b: number;
  /** ⟨v_a, v_b⟩ of the NFM (signed). */
  strength: number;
  /** Held-out rows on which both features were active. */
  coActivations: number;
  /** Observed / expected co-activation under independence on held-out rows (null: a feature never fired). */
  lift?: number | null;
  /** Mean contribution (pair-contribution.ts) over held-out co-active rows; null when there are none. */
  contribution?: number | null;
  contributionRows?: number;
  /** The pair's share of the NFM's interaction output on held-out rows. */
  share?: number | null;
  /** ⟨v_a, v_b⟩ in each seed's NFM, in seed order. */
  seedStrengths?: number[];
  /** Seeds that rank the pair among their strongest stored-depth pairs. */
  replicatedSeeds?: number;
  /** Contexts where the pair contributes most, largest first. */
  examples?: PairExampleData[];
}

export interface KDimensionData {
  index: number;
  l0: number;
  l1: number;
  l2: number;
  max: number;
  gini: number;
  effectiveRank: number;
  /** Share of the interaction output the dimension carries (null when not measured). */
  varianceExplained: number | null;
  topFeatures: { feature: number; loading: number }[];
  /** Stored pairs with the largest |v_a,k · v_b,k|, largest first. */
  topPairs: { a: number; b: number; load: number }[];
}

export interface SeedAgreementData {
  seed: number;
  spearman: number | null;
  overlap: number;
}

/** The NFM's embeddings, K dimensions and the study-wide checks of its pairs. */
export interface InteractionInspectionData {
  k: number;
  /** Every feature's row of V with Σ_j≠i |⟨v_i, v_j⟩|. */
  embeddings: { index: number; values: number[]; mass: number }[];
  dimensions: KDimensionData[];
  /** Spearman ρ between |strength| and lift over the stored co-active pairs, and how many there were. */
  cooccurrence: { spearman: number | null; pairs: number };
  /** Agreement of each seed's pair ranking with the first seed's (top `top` pairs; `supported`: among pairs
   *  co-active on held-out rows). */
  replication: {
    top: number;
    depth: number;
    seeds: SeedAgreementData[];
    supported?: SeedAgreementData[];
  };
}

export interface StudyMetricsData {
  tokens: number;
  dIn: number;
  dSae: number;
  saeExplainedVariance: number | null;
  saeL0: number | null;
  saeMse: number | null;
  deadFraction: number | null;
  nfmErrorReduction: number | null;
  nfmErrorReductionCi95: [number, number] | null;
  nfmK: number | null;
}

export interface StudyResult {
  name: string;
  /** Model name or path as the user gave it. */
  model: string;
  modelType: string;
  hook: string;
  metrics: StudyMetricsData;
  features: FeatureSummary[];
  /** Every feature's page data on held-out rows (histograms, contexts, logit effects, neighbours, co-activation). */
  featureData: FeatureData[];
  interactions: InteractionPairData[];
  /** The NFM's embeddings and K dimensions (null for a study stored without them). */
  inspection?: InteractionInspectionData | null;
  /** The full report (report.json). */
  report: StudyReport;
}
