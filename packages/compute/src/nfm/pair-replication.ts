/**
 * Whether the NFM's pair ranking replicates across seeds. ⟨v_a, v_b⟩ does not depend on the basis of the K space, so
 * strengths from different seeds are comparable pair by pair.
 */
import { spearman } from "../stats/rank-correlation.js";
import { type CoActivationIndex, type Embedding, pairStrength, topPairs } from "./inspect.js";
import type { FeaturePair } from "./pair-contribution.js";

export interface SeedAgreement {
  /** Position of the seed in the list (0 = the reference). */
  seed: number;
  /** Spearman ρ between the reference's and this seed's strengths of the reference's top pairs. */
  spearman: number | null;
  /** |top pairs of the reference ∩ top pairs of this seed| / top. */
  overlap: number;
}

export interface PairSeeds {
  /** ⟨v_a, v_b⟩ in each seed, in seed order. */
  strengths: number[];
  /** Seeds whose `depth` strongest pairs include this pair. */
  seeds: number;
}

const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

function topKeys(e: Embedding, count: number, coActivation?: CoActivationIndex): Set<string> {
  const only = coActivation ? { coActivation, supportedOnly: true } : {};
  return new Set(topPairs(e, { count, ...only }).map((p) => key(p.a, p.b)));
}

/**
 * Agreement of every seed with the first on the first seed's `top` strongest pairs (the first against itself: 1);
 * with `coActivation`, among co-active pairs only (pairs never co-active were never exercised by training).
 */
export function seedAgreement(
  embeddings: readonly Embedding[],
  top = 50,
  coActivation?: CoActivationIndex,
): SeedAgreement[] {
  const reference = embeddings[0];
  if (!reference) throw new Error("seedAgreement: pass at least one embedding.");
  const only = coActivation ? { coActivation, supportedOnly: true } : {};
  const pairs = topPairs(reference, { count: top, ...only });
  const referenceKeys = new Set(pairs.map((p) => key(p.a, p.b)));
  const strengths = pairs.map((p) => p.strength);
  return embeddings.map((e, seed) => {
    const other = pairs.map((p) => pairStrength(e, p.a, p.b));
    const keys = topKeys(e, top, coActivation);
    let shared = 0;
    for (const k of keys) if (referenceKeys.has(k)) shared++;
    return { seed, spearman: spearman(strengths, other), overlap: pairs.length > 0 ? shared / pairs.length : 0 };
  });
}

/** Each pair's strength in every seed, and how many seeds rank it among their `depth` strongest pairs. */
export function pairSeeds(embeddings: readonly Embedding[], pairs: readonly FeaturePair[], depth: number): PairSeeds[] {
  const tops = embeddings.map((e) => topKeys(e, depth));
  return pairs.map(({ a, b }) => ({
    strengths: embeddings.map((e) => pairStrength(e, a, b)),
    seeds: tops.filter((t) => t.has(key(a, b))).length,
  }));
}
