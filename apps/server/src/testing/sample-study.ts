import { kDimensionStats, topByMagnitude } from "@interlace/compute/nfm";
import type {
  FeatureData,
  FeatureSummary,
  InteractionInspectionData,
  InteractionPairData,
  StudyResult,
} from "@interlace/compute/study";
import { type SampleReportOptions, sampleReport } from "@interlace/compute/testing";

/**
 * A small deterministic study: `features` features whose densities repeat in groups of three (to exercise
 * tie-breaking), three examples each, and a ring of interactions i—(i+1) plus a star around feature 0.
 */
export function sampleStudy(
  options: { name?: string; features?: number; report?: SampleReportOptions; inspection?: boolean } = {},
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
  const featureData = features.map((feature, position) => sampleFeatureData(feature, position, count));
  const interactions: InteractionPairData[] = [];
  for (let i = 0; i + 1 < count; i += 1) {
    interactions.push({ a: i * 2, b: (i + 1) * 2, strength: 0.5 + (i % 4) / 10, coActivations: 10 + i });
  }
  for (let i = 2; i < count; i += 1) {
    interactions.push({ a: i * 2, b: 0, strength: 0.5 + (i % 3) / 10, coActivations: i });
  }
  const inspection = options.inspection ? sampleInspection(features, interactions) : null;
  return {
    ...(inspection ? { inspection } : {}),
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
    featureData,
    interactions,
    report: sampleReport({ name: options.name, ...options.report }),
  };
}

/** Markup a page must show as text, never run or render. */
export const HOSTILE_TOKENS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">'];

const bins = (max: number, counts: number[]) =>
  counts.map((count, g) => ({ lo: (g * max) / counts.length, hi: ((g + 1) * max) / counts.length, count }));

/**
 * Feature data consistent with a sample feature (same density and max): a falling histogram, ten interval groups
 * with an example in each of the top three (the top group's first example carries HOSTILE_TOKENS), ten logits each
 * way, and neighbours and co-activating features among the sample's other features (indices 2·i).
 */
function sampleFeatureData(feature: FeatureSummary, position: number, count: number): FeatureData {
  const max = feature.maxActivation;
  const other = (k: number) => ((position + k) % count) * 2;
  const example = (value: number, tokens: string[]) => ({
    tokens,
    values: tokens.map((_, t) => (t === 1 ? value : value / 4)),
    maxValue: value,
    position: 1,
  });
  return {
    index: feature.index,
    density: feature.density,
    maxActivation: max,
    meanActivation: max / 3,
    histogram: bins(
      max,
      Array.from({ length: 50 }, (_, g) => 50 - g),
    ),
    examples: feature.examples.map((e, rank) => ({ ...e, position: rank % e.tokens.length })),
    quantiles: bins(
      max,
      Array.from({ length: 10 }, (_, g) => 10 - g),
    ).map((group, g) => ({
      ...group,
      examples:
        g === 9
          ? [example(group.hi, [" a", ...HOSTILE_TOKENS]), example(group.lo + 0.01, [" b", " top", " c"])]
          : g >= 7
            ? [example(group.hi, [" q", ` g${g}`, " r"])]
            : [],
    })),
    topLogits: Array.from({ length: 10 }, (_, k) => ({ token: ` up${k}`, value: 2 - k / 10 })),
    bottomLogits: Array.from({ length: 10 }, (_, k) => ({ token: ` down${k}`, value: -2 + k / 10 })),
    logitHistogram: bins(
      4,
      Array.from({ length: 50 }, (_, g) => 1 + (g % 7)),
    ).map((bin) => ({ ...bin, lo: bin.lo - 2, hi: bin.hi - 2 })),
    neighbours: Array.from({ length: Math.min(10, count - 1) }, (_, k) => ({
      index: other(k + 1),
      cosine: 0.9 - k / 20,
    })),
    coActivating: Array.from({ length: Math.min(10, count - 1) }, (_, k) => ({
      index: other(count - 1 - k),
      count: 20 - k,
      lift: 3 - k / 5,
    })),
  };
}

/** The sample's K (with `inspection`). */
export const SAMPLE_K = 4;

/** A deterministic embedding row of feature `index` (K = SAMPLE_K). */
export function sampleEmbedding(index: number): number[] {
  return Array.from({ length: SAMPLE_K }, (_, c) => Math.fround(Math.sin(1.3 * index + 0.7 * c * (c + 1)) / (1 + c)));
}

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);

/**
 * The NFM inspection of a sample study: V from sampleEmbedding, each listed pair's strength set to ⟨v_a, v_b⟩ with
 * held-out figures (every third pair never co-active), two examples per supported pair, and the K dimensions.
 */
function sampleInspection(features: FeatureSummary[], pairs: InteractionPairData[]): InteractionInspectionData {
  const v = new Map(features.map((f) => [f.index, sampleEmbedding(f.index)]));
  const rows = features.map((f) => v.get(f.index)!);
  const embeddings = features.map((f, i) => ({
    index: f.index,
    values: rows[i]!,
    mass: rows.reduce((s, other, j) => (j === i ? s : s + Math.abs(dot(rows[i]!, other))), 0),
  }));
  pairs.forEach((pair, i) => {
    const supported = i % 3 !== 2;
    pair.strength = dot(v.get(pair.a)!, v.get(pair.b)!);
    pair.coActivations = supported ? pair.coActivations : 0;
    pair.lift = supported ? 0.5 + (i % 5) : 0;
    pair.contribution = supported ? Math.abs(pair.strength) / 2 + i / 1000 : null;
    pair.contributionRows = pair.coActivations;
    pair.share = supported ? 0.01 + i / 10000 : 0;
    pair.seedStrengths = [pair.strength, pair.strength * 0.9, -pair.strength / 4];
    pair.replicatedSeeds = 1 + (i % 3);
    pair.examples = supported
      ? [0, 1].map((rank) => ({
          tokens: [" the", ` a${pair.a}`, ` b${pair.b}`, rank === 0 ? HOSTILE_TOKENS[0]! : " end"],
          aValues: [0, 1.5 - rank / 2, 0.2, 0],
          bValues: [0, 0, 1.2 - rank / 4, 0.4],
          contribution: 0.3 - rank / 10,
        }))
      : [];
  });
  const dSae = Math.max(...features.map((f) => f.index)) + 1;
  const dense = new Float32Array(dSae * SAMPLE_K);
  for (const f of features) dense.set(v.get(f.index)!, f.index * SAMPLE_K);
  const dimensions = kDimensionStats({ v: dense, dSae, k: SAMPLE_K }, 10).map((d) => {
    const loads = pairs.map((p) => (d.index < SAMPLE_K ? v.get(p.a)![d.index]! * v.get(p.b)![d.index]! : 0));
    return {
      ...d,
      varianceExplained: 0.4 / (1 + d.index),
      topPairs: topByMagnitude(loads, 5).map((i) => ({ a: pairs[i]!.a, b: pairs[i]!.b, load: loads[i]! })),
    };
  });
  return {
    k: SAMPLE_K,
    embeddings,
    dimensions,
    cooccurrence: { spearman: 0.12, pairs: pairs.filter((p) => p.coActivations > 0).length },
    replication: {
      top: 50,
      depth: 100,
      seeds: [
        { seed: 0, spearman: 1, overlap: 1 },
        { seed: 1, spearman: 0.8, overlap: 0.62 },
        { seed: 2, spearman: 0.41, overlap: 0.3 },
      ],
      supported: [
        { seed: 0, spearman: 1, overlap: 1 },
        { seed: 1, spearman: 0.7, overlap: 0.5 },
        { seed: 2, spearman: 0.35, overlap: 0.2 },
      ],
    },
  };
}
