import { balancedAccuracy, type ConfusionCounts, confusionCounts } from "@interlace/compute/stats";
import type { Claude } from "./claude.js";
import {
  activatingSample,
  activeMarks,
  type Example,
  type ExampleSplit,
  type FeatureMaterial,
  markedText,
  nonActivatingSample,
  numbered,
  plainText,
  rngFor,
  shuffled,
} from "./examples.js";
import { PROMPTS, renderPrompt } from "./prompts.js";

/**
 * Scorers as EleutherAI defines them (Paulo, Mallen, Juang & Belrose 2024, "Automatically Interpreting Millions of
 * Features in Large Language Models", arXiv:2410.13928, §3; code: github.com/EleutherAI/delphi,
 * delphi/scorers/classifier/detection.py and fuzz.py):
 * - detection: the scorer sees the explanation and a shuffled mix of activating excerpts (drawn across activation
 *   intervals) and non-activating ones, and says which activate the feature;
 * - fuzzing: the scorer sees activating excerpts whose marked tokens are either the truly active ones or were moved
 *   to inactive tokens, and says which markings are right.
 * Both are scored by balanced accuracy over the scorer's 0/1 answers (delphi's classifier scorers report the
 * confusion counts; the paper reports balanced accuracy). Examples are held out from the explainer.
 */
export const SCORER_KINDS = ["detection", "fuzzing"] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

/** Activating (and, for detection, as many non-activating) excerpts per scoring call. */
export const EXAMPLES_PER_CLASS = 5;
/** Enough for a list of a few dozen 0/1 answers. */
export const SCORER_MAX_TOKENS = 200;

export interface ScoringItem {
  text: string;
  /** The right answer: activates (detection) or correctly marked (fuzzing). */
  truth: boolean;
}

export interface ScoreResult {
  kind: ScorerKind;
  value: number;
  counts: ConfusionCounts;
  n: number;
  seed: number;
  promptVersion: string;
  inputTokens: number;
  outputTokens: number;
}

/** Detection excerpts: held-out activating windows and non-activating ones, shuffled, as plain text. */
export function detectionItems(
  material: FeatureMaterial,
  split: ExampleSplit,
  nonActivatingPool: readonly Example[],
  seed: number,
): ScoringItem[] {
  const positives = activatingSample(split, EXAMPLES_PER_CLASS);
  const negatives = nonActivatingSample(material, nonActivatingPool, positives.length, seed);
  const items = [
    ...positives.map((example) => ({ text: plainText(example), truth: true })),
    ...negatives.map((example) => ({ text: plainText(example), truth: false })),
  ];
  return shuffled(items, rngFor(seed, material.index, 2));
}

/**
 * Fuzzing excerpts: held-out activating windows, alternately marked correctly (every active token) and wrongly (as
 * many inactive tokens, chosen at random, marked instead); a window with no inactive token can only be marked
 * correctly.
 */
export function fuzzingItems(material: FeatureMaterial, split: ExampleSplit, seed: number): ScoringItem[] {
  const rng = rngFor(seed, material.index, 3);
  const examples = activatingSample(split, 2 * EXAMPLES_PER_CLASS);
  const items = examples.map((example, i) => {
    const correct = activeMarks(example);
    const inactive = correct.flatMap((active, t) => (active ? [] : [t]));
    if (i % 2 === 0 || inactive.length === 0) return { text: markedText(example, correct, false), truth: true };
    const wanted = Math.max(1, Math.min(inactive.length, correct.filter(Boolean).length));
    const chosen = new Set(shuffled(inactive, rng).slice(0, wanted));
    const wrong = example.tokens.map((_, t) => chosen.has(t));
    return { text: markedText(example, wrong, false), truth: false };
  });
  return shuffled(items, rng);
}

/**
 * The scorer's 0/1 list from its reply: the last [...] in the text, parsed as JSON, with exactly `count` entries each
 * 0 or 1 (delphi parses its scorers' replies the same way); undefined when the reply holds no such list.
 */
export function parseVerdicts(reply: string, count: number): boolean[] | undefined {
  const lists = reply.match(/\[[^[\]]*\]/g);
  const last = lists?.at(-1);
  if (last === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== count) return undefined;
  if (!parsed.every((v) => v === 0 || v === 1)) return undefined;
  return parsed.map((v) => v === 1);
}

export function scorerPrompt(kind: ScorerKind, explanation: string, items: readonly ScoringItem[]): string {
  return renderPrompt(kind, {
    explanation,
    count: String(items.length),
    examples: numbered(items.map((item) => item.text)),
  });
}

/** One scorer's verdict on an explanation: the score, or undefined when the reply could not be parsed. */
export async function score(
  claude: Claude,
  kind: ScorerKind,
  explanation: string,
  items: readonly ScoringItem[],
  seed: number,
  spend: (tokens: { inputTokens: number; outputTokens: number }) => void,
): Promise<ScoreResult | undefined> {
  if (items.length === 0) return undefined;
  const reply = await claude.ask(scorerPrompt(kind, explanation, items), SCORER_MAX_TOKENS);
  spend(reply);
  const verdicts = parseVerdicts(reply.text, items.length);
  if (verdicts === undefined) return undefined;
  const counts = confusionCounts(
    items.map((item) => item.truth),
    verdicts,
  );
  const value = balancedAccuracy(counts);
  if (value === undefined) return undefined;
  return {
    kind,
    value,
    counts,
    n: items.length,
    seed,
    promptVersion: PROMPTS[kind],
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
  };
}
