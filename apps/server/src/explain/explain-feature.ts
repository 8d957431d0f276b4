import type { SqlOrTransaction } from "../db/sql.js";
import {
  insertExplanation,
  insertScore,
  loadMaterial,
  otherFeaturesExamples,
} from "../features/explanation/explanation.repository.js";
import type { TokenBudget } from "./budget.js";
import { type Claude, ClaudeError } from "./claude.js";
import { activeMarks, type Example, type FeatureMaterial, markedText, splitExamples } from "./examples.js";
import { PROMPTS, renderPrompt } from "./prompts.js";
import { detectionItems, fuzzingItems, type ScoreResult, type ScorerKind, score } from "./scoring.js";

/** Room for the one or two sentences the prompt asks for. */
export const EXPLAIN_MAX_TOKENS = 300;
/** Other features' windows fetched to draw non-activating examples from. */
const NON_ACTIVATING_POOL = 200;

/** A feature that cannot be explained (no stored examples) or whose explanation call failed. */
export class FeatureExplainError extends Error {
  override name = "FeatureExplainError";
}

export interface ExplainContext {
  sql: SqlOrTransaction;
  claude: Claude;
  budget: TokenBudget;
  seed: number;
  runId: string | null;
}

export interface ExplainedFeature {
  explanationId: string;
  text: string;
  scores: ScoreResult[];
  /** Scorers that gave no score, and why (unparseable reply, API failure, budget). */
  missing: string[];
  inputTokens: number;
  outputTokens: number;
}

/** The explainer's prompt: the explaining half of the examples, with active tokens and activations marked. */
export function explainPrompt(material: FeatureMaterial, explain: readonly Example[]): string {
  const examples = explain.map((example, i) => `Excerpt ${i + 1}: ${markedText(example, activeMarks(example), true)}`);
  const logits = material.topLogits.length > 0 ? material.topLogits.map((t) => JSON.stringify(t)).join(", ") : "(none)";
  return renderPrompt("explain", { examples: examples.join("\n"), logits });
}

/** The held-out scoring of `text` as an explanation of `material`'s feature, one score per scorer that answered. */
export async function scoreExplanation(
  context: ExplainContext,
  studyId: string,
  material: FeatureMaterial,
  text: string,
  scorers: readonly ScorerKind[],
  spend: (usage: { inputTokens: number; outputTokens: number }) => void,
): Promise<{ scores: ScoreResult[]; missing: string[] }> {
  const split = splitExamples(material, context.seed);
  const scores: ScoreResult[] = [];
  const missing: string[] = [];
  for (const kind of scorers) {
    if (context.budget.reached) {
      missing.push(`${kind}: token budget spent`);
      continue;
    }
    const items =
      kind === "detection"
        ? detectionItems(
            material,
            split,
            await otherFeaturesExamples(context.sql, studyId, material.index, context.seed, NON_ACTIVATING_POOL),
            context.seed,
          )
        : fuzzingItems(material, split, context.seed);
    try {
      const result = await score(context.claude, kind, text, items, context.seed, spend);
      if (result) scores.push(result);
      else
        missing.push(`${kind}: ${items.length === 0 ? "no held-out examples" : "the scorer's answer was unreadable"}`);
    } catch (error) {
      if (!(error instanceof ClaudeError)) throw error;
      missing.push(`${kind}: ${error.message}`);
    }
  }
  return { scores, missing };
}

/**
 * Explains one feature from its stored examples and logits, stores the explanation at once (it stays even when
 * scoring later fails), then scores it on held-out examples and stores each score that came back.
 */
export async function explainFeature(
  context: ExplainContext,
  studyId: string,
  index: number,
  scorers: readonly ScorerKind[],
): Promise<ExplainedFeature> {
  const material = await loadMaterial(context.sql, studyId, index);
  const split = splitExamples(material, context.seed);
  if (split.explain.length === 0) {
    throw new FeatureExplainError(`feature ${index} has no stored examples; compute the study's feature data first`);
  }
  const usage = { inputTokens: 0, outputTokens: 0 };
  const spend = (tokens: { inputTokens: number; outputTokens: number }) => {
    usage.inputTokens += tokens.inputTokens;
    usage.outputTokens += tokens.outputTokens;
    context.budget.spend(tokens);
  };
  context.budget.check();
  let reply: Awaited<ReturnType<Claude["ask"]>>;
  try {
    reply = await context.claude.ask(explainPrompt(material, split.explain), EXPLAIN_MAX_TOKENS);
  } catch (error) {
    if (error instanceof ClaudeError) throw new FeatureExplainError(error.message);
    throw error;
  }
  spend(reply);
  const text = reply.text.trim();
  if (text === "") throw new FeatureExplainError("the model's reply held no text");
  const explanationId = await insertExplanation(context.sql, {
    studyId,
    featureIndex: index,
    text,
    model: context.claude.model,
    promptVersion: PROMPTS.explain,
    seed: context.seed,
    runId: context.runId,
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
  });
  const { scores, missing } = await scoreExplanation(context, studyId, material, text, scorers, spend);
  for (const result of scores) await insertScore(context.sql, explanationId, result);
  return { explanationId, text, scores, missing, ...usage };
}
