import type { FeatureSummary, InteractionPairData, StudyResult } from "@interlace/compute/study";
import { type SampleReportOptions, sampleReport } from "@interlace/compute/testing";

/**
 * A small deterministic study: `features` features whose densities repeat in groups of three (to exercise
 * tie-breaking), three examples each, and a ring of interactions i—(i+1) plus a star around feature 0.
 */
export function sampleStudy(
  options: { name?: string; features?: number; report?: SampleReportOptions } = {},
): StudyResult {
  const count = options.features ?? 12;
  const features: FeatureSummary[] = Array.from({ length: count }, (_, index) => ({
    index: index * 2,
    density: (Math.floor(index / 3) + 1) / 1000,
    maxActivation: 1 + ((index * 7) % count) / 4,
    examples: [0, 1, 2].map((rank) => ({
      tokens: ["The", " union", ` is${rank}`, ` f${index}`],
      values: [0, 0.5, 1 + rank / 10, 2 - rank / 10],
      maxValue: 2 - rank / 10,
    })),
  }));
  const interactions: InteractionPairData[] = [];
  for (let i = 0; i + 1 < count; i += 1) {
    interactions.push({ a: i * 2, b: (i + 1) * 2, strength: 0.5 + (i % 4) / 10, coActivations: 10 + i });
  }
  for (let i = 2; i < count; i += 1) {
    interactions.push({ a: i * 2, b: 0, strength: 0.5 + (i % 3) / 10, coActivations: i });
  }
  return {
    name: options.name ?? "sample study",
    model: "sotu-gpt2-6l",
    modelType: "gpt2",
    hook: "blocks.3.hook_resid_post",
    metrics: {
      tokens: 4096,
      dIn: 256,
      dSae: 1024,
      saeExplainedVariance: 0.91,
      saeL0: 23.5,
      saeMse: 0.012,
      deadFraction: 0.1,
      nfmErrorReduction: 0.042,
      nfmErrorReductionCi95: [0.03, 0.054],
      nfmK: 16,
    },
    features,
    featureData: [],
    interactions,
    report: sampleReport({ name: options.name, ...options.report }),
  };
}
