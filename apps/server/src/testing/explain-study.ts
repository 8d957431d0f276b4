import type { StudyResult } from "@interlace/compute/study";
import { sampleStudy } from "./sample-study.js";

/** The word only feature `index` of explainStudy() fires on. */
export const fruitOf = (index: number) => ` fruit${index}`;

/**
 * A sample study whose feature `i` fires only on the token fruitOf(i): 4 top windows and 2 windows in each of
 * interval groups 5 and 9, every one with that token active (value > 0) and the others at 0. A scorer that answers
 * by looking for the word can be checked by hand.
 */
export function explainStudy(options: { name?: string; features?: number } = {}): StudyResult {
  const base = sampleStudy({ name: options.name ?? "explain study", features: options.features ?? 6 });
  const window = (index: number, tag: string, value: number) => ({
    tokens: [" the", fruitOf(index), ` ${tag}`, " fell"],
    values: [0, value, 0, 0],
    maxValue: value,
    position: 1,
  });
  const featureData = base.featureData.map((feature) => ({
    ...feature,
    examples: [0, 1, 2, 3].map((rank) => window(feature.index, `top${rank}`, 4 - rank / 10)),
    quantiles: feature.quantiles.map((group, g) => ({
      ...group,
      examples: g === 5 || g === 9 ? [0, 1].map((k) => window(feature.index, `q${g}k${k}`, group.hi - k / 100)) : [],
    })),
  }));
  const features = base.features.map((feature) => {
    const data = featureData.find((f) => f.index === feature.index);
    return { ...feature, examples: (data?.examples ?? []).map(({ position: _, ...e }) => e) };
  });
  return { ...base, features, featureData };
}
