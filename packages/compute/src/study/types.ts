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

export interface InteractionPairData {
  a: number;
  b: number;
  /** Pair interaction strength (see report for the definition used). */
  strength: number;
  /** Rows on which both features were active. */
  coActivations: number;
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
  /** The full report (report.json). */
  report: StudyReport;
}
