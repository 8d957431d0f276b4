import { createRng, permutation, type Rng } from "@interlace/compute/stats";

/** A stored context window of a feature: its tokens and the feature's activation on each. */
export interface Example {
  tokens: string[];
  values: number[];
}

/** What a feature page stores that explaining reads: top examples, interval groups (weakest first), top logits. */
export interface FeatureMaterial {
  index: number;
  top: Example[];
  quantiles: Example[][];
  topLogits: string[];
}

/**
 * The examples an explanation is written from and the held-out ones it is scored on, split deterministically by
 * `seed` and the feature's index: half of the top examples (rounded up) and half of each interval group (rounded
 * down) go to the explainer, the rest are held out; a held-out window whose text equals an explaining one is
 * dropped (top examples and interval groups can hold the same window), so scoring never sees an example the
 * explanation was written from. Held-out groups are listed strongest first, the top examples last.
 */
export interface ExampleSplit {
  explain: Example[];
  heldOut: Example[][];
}

export const textOf = (example: Example) => example.tokens.join("");

export function rngFor(seed: number, index: number, purpose: number): Rng {
  return createRng(((seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0);
}

export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  return Array.from(permutation(items.length, rng), (i) => items[i] as T);
}

export function splitExamples(material: FeatureMaterial, seed: number): ExampleSplit {
  const rng = rngFor(seed, material.index, 0);
  const explain: Example[] = [];
  const heldOut: Example[][] = [];
  const top = shuffled(material.top, rng);
  const topCut = Math.ceil(top.length / 2);
  explain.push(...top.slice(0, topCut));
  const groups = material.quantiles.map((group) => {
    const order = shuffled(group, rng);
    const cut = Math.floor(order.length / 2);
    explain.push(...order.slice(0, cut));
    return order.slice(cut);
  });
  const seen = new Set(explain.map(textOf));
  const keep = (group: Example[]) => group.filter((example) => !seen.has(textOf(example)));
  for (const group of [...groups].reverse()) heldOut.push(keep(group));
  heldOut.push(keep(top.slice(topCut)));
  return { explain, heldOut: heldOut.filter((group) => group.length > 0) };
}

/** Up to `count` held-out activating examples, taken in turn from each group so several intervals are represented. */
export function activatingSample(split: ExampleSplit, count: number): Example[] {
  const out: Example[] = [];
  const seen = new Set<string>();
  for (let round = 0; out.length < count; round += 1) {
    let any = false;
    for (const group of split.heldOut) {
      const example = group[round];
      if (example === undefined) continue;
      any = true;
      if (seen.has(textOf(example)) || out.length >= count) continue;
      seen.add(textOf(example));
      out.push(example);
    }
    if (!any) break;
  }
  return out;
}

/**
 * Up to `count` non-activating examples: other features' stored windows whose text is none of this feature's stored
 * windows. The feature's activation on them is not stored, so "not among its stored top or interval windows" stands
 * in for "zero there"; for a sparse feature that is rarely wrong, and a wrong pick only lowers the score.
 */
export function nonActivatingSample(
  material: FeatureMaterial,
  pool: readonly Example[],
  count: number,
  seed: number,
): Example[] {
  const own = new Set([...material.top, ...material.quantiles.flat()].map(textOf));
  const out: Example[] = [];
  const seen = new Set<string>();
  for (const example of shuffled(pool, rngFor(seed, material.index, 1))) {
    if (out.length >= count) break;
    const text = textOf(example);
    if (own.has(text) || seen.has(text)) continue;
    seen.add(text);
    out.push({ tokens: example.tokens, values: example.tokens.map(() => 0) });
  }
  return out;
}

const oneLine = (token: string) => token.replaceAll("\n", "\\n");

/** The window as plain text. */
export function plainText(example: Example): string {
  return example.tokens.map(oneLine).join("");
}

/** The window with `marks` tokens written as <<token>> (with the activation after it when `withValues`). */
export function markedText(example: Example, marks: readonly boolean[], withValues: boolean): string {
  return example.tokens
    .map((token, i) => {
      const text = oneLine(token);
      if (!marks[i]) return text;
      const value = example.values[i] ?? 0;
      return withValues ? `<<${text}>>(${value.toFixed(2)})` : `<<${text}>>`;
    })
    .join("");
}

/** Which tokens the feature is active on. */
export const activeMarks = (example: Example) => example.values.map((value) => value > 0);

export const numbered = (lines: readonly string[]) => lines.map((line, i) => `Excerpt ${i + 1}: ${line}`).join("\n");
