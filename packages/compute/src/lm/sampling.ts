/** Choosing the next token from logits: greedy, or temperature / top-k / top-p sampling from a seeded generator. */

export interface SamplingOptions {
  /** 0 (default) picks the most likely token. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or unset: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1 or unset: all). */
  topP?: number;
}

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export function checkSampling(options: SamplingOptions): void {
  const { temperature = 0, topK = 0, topP = 1 } = options;
  if (!(temperature >= 0)) throw new Error(`temperature must be ≥ 0, got ${temperature}.`);
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`top-k must be an integer ≥ 0, got ${topK}.`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`top-p must be in (0, 1], got ${topP}.`);
}

/** Picks the next token id from one position's logits. */
export function sampleNext(logits: ArrayLike<number>, options: SamplingOptions, random: () => number): number {
  const { temperature = 0, topK = 0, topP = 1 } = options;
  if (temperature === 0) return argmax(logits);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]!);
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const top = logits[kept[0]!]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - top) / temperature));
  const total = weights.reduce((s, w) => s + w, 0);
  let cut = kept.length;
  if (topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < kept.length; i++) {
      cumulative += weights[i]! / total;
      if (cumulative >= topP) {
        cut = i + 1;
        break;
      }
    }
  }
  const mass = weights.slice(0, cut).reduce((s, w) => s + w, 0);
  let draw = random() * mass;
  for (let i = 0; i < cut; i++) {
    draw -= weights[i]!;
    if (draw < 0) return kept[i]!;
  }
  return kept[cut - 1]!;
}
