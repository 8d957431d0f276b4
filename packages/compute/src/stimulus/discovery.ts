/**
 * Discovery: which features and interaction dimensions each factor moves. For every feature and every dimension k,
 * the effects of A ((μ10 + μ11 − μ00 − μ01) / 2), of B (likewise) and of A×B (μ11 − μ10 − μ01 + μ00), each with the
 * p-value of its term in the two-way ANOVA; Benjamini–Hochberg q-values per effect across all features and dimensions
 * together; the top N of each effect by p. Items constant across every prompt have no test: they are listed apart
 * and never reported, targets included.
 */
import { type AnovaType, isConstant, type TwoWayDesign } from "../stats/anova2.js";
import { benjaminiHochberg } from "../stats/fdr.js";
import { designOf } from "./cell-analysis.js";
import type { PromptMeasures } from "./measures.js";

export type EffectName = "a" | "b" | "ab";
export const EFFECTS: readonly EffectName[] = ["a", "b", "ab"];

export interface ItemEffect {
  kind: "feature" | "k_dim";
  index: number;
  effect: EffectName;
  value: number;
  p: number;
  q: number;
}

export interface Discovery {
  /** The top N items of each effect (A, then B, then A×B), by p. */
  discovered: ItemEffect[];
  /** Target features' three effects (targets constant across prompts are in constantTargets instead). */
  targets: ItemEffect[];
  constantTargets: number[];
  constantFeatures: number[];
  constantDims: number[];
  /** Items tested (features and dimensions that vary). */
  tested: number;
}

function effectsOf(design: TwoWayDesign, y: Float64Array, anovaType: AnovaType) {
  const sums = new Float64Array(4);
  for (let i = 0; i < design.n; i++) sums[design.cellOf[i]!]! += y[i]!;
  const [m00, m01, m10, m11] = Array.from(sums, (s, c) => s / design.cellCounts[c]!) as [
    number,
    number,
    number,
    number,
  ];
  const table = design.fit(y, anovaType);
  return {
    a: { value: (m10 + m11 - m00 - m01) / 2, p: table.a.p },
    b: { value: (m01 + m11 - m00 - m10) / 2, p: table.b.p },
    ab: { value: m11 - m10 - m01 + m00, p: table.ab.p },
  };
}

export function discover(
  prompts: readonly PromptMeasures[],
  anovaType: AnovaType,
  options: { topN?: number; targets?: readonly number[] } = {},
): Discovery {
  const topN = options.topN ?? 10;
  const design = designOf(prompts.map((p) => p.cell));
  const items: { kind: "feature" | "k_dim"; index: number }[] = [];
  const effects: Record<EffectName, { value: number; p: number }[]> = { a: [], b: [], ab: [] };
  const constantFeatures: number[] = [];
  const constantDims: number[] = [];
  const y = new Float64Array(prompts.length);
  const columns = [
    { kind: "feature" as const, width: prompts[0]?.features.length ?? 0, constant: constantFeatures },
    { kind: "k_dim" as const, width: prompts[0]?.kDims.length ?? 0, constant: constantDims },
  ];
  for (const { kind, width, constant } of columns) {
    for (let index = 0; index < width; index++) {
      prompts.forEach((p, i) => {
        y[i] = (kind === "feature" ? p.features : p.kDims)[index]!;
      });
      if (isConstant(y)) {
        constant.push(index);
        continue;
      }
      items.push({ kind, index });
      const e = effectsOf(design, y, anovaType);
      for (const name of EFFECTS) effects[name].push(e[name]);
    }
  }
  const all: Record<EffectName, ItemEffect[]> = { a: [], b: [], ab: [] };
  for (const name of EFFECTS) {
    const q = benjaminiHochberg(effects[name].map((e) => e.p));
    all[name] = items.map((item, i) => ({ ...item, effect: name, ...effects[name][i]!, q: q[i]! }));
  }
  const discovered = EFFECTS.flatMap((name) =>
    [...all[name]]
      .filter((e) => !Number.isNaN(e.p))
      .sort((x, y) => x.p - y.p || Math.abs(y.value) - Math.abs(x.value))
      .slice(0, topN),
  );
  const targetSet = new Set(options.targets ?? []);
  const constantSet = new Set(constantFeatures);
  return {
    discovered,
    targets: EFFECTS.flatMap((name) => all[name].filter((e) => e.kind === "feature" && targetSet.has(e.index))),
    constantTargets: [...targetSet].filter((t) => constantSet.has(t)),
    constantFeatures,
    constantDims,
    tested: items.length,
  };
}
