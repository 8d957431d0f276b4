import type { SqlOrTransaction } from "../db/sql.js";
import {
  insertBaseline,
  loadMaterial,
  pairsAmong,
  type RunFeatureStatus,
  recordRunFeature,
} from "../features/explanation/explanation.repository.js";
import { BudgetReachedError, TokenBudget } from "./budget.js";
import type { Claude } from "./claude.js";
import { type ExplainContext, explainFeature, FeatureExplainError, scoreExplanation } from "./explain-feature.js";
import { explainPair } from "./explain-pair.js";
import type { ScorerKind } from "./scoring.js";

/** What to explain: checked features of one study, the scorers to run, and the run's token budget. */
export interface ExplainRequest {
  studyId: string;
  indices: number[];
  scorers: ScorerKind[];
  tokenBudget: number;
  /** Seeds the split into explaining and held-out examples and the scorers' draws; stored with every result. */
  seed: number;
  /** Also explain the interaction pairs among the features (strongest first, at most as many as features). */
  pairs?: boolean | undefined;
}

export interface FeatureOutcome {
  index: number;
  status: RunFeatureStatus;
  /** The API's message (failed), why it was skipped, or the scores that are missing (explained). */
  message: string | null;
  text: string | null;
  scores: { kind: ScorerKind; value: number; n: number }[];
}

export interface ExplainSummary {
  outcomes: FeatureOutcome[];
  inputTokens: number;
  outputTokens: number;
  budgetReached: boolean;
  cancelled: boolean;
  baseline: { kind: ScorerKind; value: number; n: number }[];
  pairs: { a: number; b: number; text: string | null; message: string | null }[];
}

export interface ExplainRunOptions {
  sql: SqlOrTransaction;
  claude: Claude;
  concurrency: number;
  /** The queued run, to record each feature's outcome under; null for in-process work (the CLI). */
  runId: string | null;
  onFeature?: (outcome: FeatureOutcome, done: number, total: number) => void | Promise<void>;
  isCancelled?: () => boolean;
}

/** One line on how a run ended. */
export function describeSummary(summary: ExplainSummary): string {
  const count = (status: RunFeatureStatus) => summary.outcomes.filter((o) => o.status === status).length;
  const parts = [`explained ${count("explained")} of ${summary.outcomes.length} features`];
  if (count("failed") > 0) parts.push(`${count("failed")} failed`);
  if (count("skipped") > 0) parts.push(`${count("skipped")} skipped`);
  const spent = summary.inputTokens + summary.outputTokens;
  parts.push(`${spent} tokens (${summary.inputTokens} in, ${summary.outputTokens} out)`);
  if (summary.pairs.length > 0) {
    parts.push(`explained ${summary.pairs.filter((p) => p.text !== null).length} of ${summary.pairs.length} pairs`);
  }
  if (summary.budgetReached) parts.push("stopped: the run's token budget is spent");
  if (summary.cancelled) parts.push("stopped: cancelled");
  return parts.join(", ");
}

/**
 * Explains and scores each requested feature, `concurrency` at a time. A feature whose call still fails after the
 * SDK's retries is recorded as failed with the API's message and the others go on; once the token budget is spent
 * (or the run is cancelled) the remaining features are skipped. With two or more features explained, it finally
 * scores the first one with the second one's explanation: the study's random-explanation baseline.
 */
export async function explainFeatures(options: ExplainRunOptions, request: ExplainRequest): Promise<ExplainSummary> {
  const budget = new TokenBudget(request.tokenBudget);
  const context: ExplainContext = {
    sql: options.sql,
    claude: options.claude,
    budget,
    seed: request.seed,
    runId: options.runId,
  };
  const outcomes: FeatureOutcome[] = [];
  const texts = new Map<number, { id: string; text: string }>();
  let cancelled = false;
  let next = 0;
  const finish = async (outcome: FeatureOutcome, usage: { inputTokens: number; outputTokens: number }, id?: string) => {
    outcomes.push(outcome);
    if (options.runId !== null) {
      await recordRunFeature(options.sql, options.runId, request.studyId, {
        featureIndex: outcome.index,
        status: outcome.status,
        error: outcome.message,
        explanationId: id ?? null,
        ...usage,
      });
    }
    await options.onFeature?.(outcome, outcomes.length, request.indices.length);
  };
  const none = { inputTokens: 0, outputTokens: 0 };
  const lane = async () => {
    while (next < request.indices.length) {
      const index = request.indices[next++] as number;
      if (options.isCancelled?.()) cancelled = true;
      if (cancelled || budget.reached) {
        const why = cancelled ? "the run was cancelled" : "the run's token budget is spent";
        await finish({ index, status: "skipped", message: why, text: null, scores: [] }, none);
        continue;
      }
      try {
        const done = await explainFeature(context, request.studyId, index, request.scorers);
        texts.set(index, { id: done.explanationId, text: done.text });
        const scores = done.scores.map(({ kind, value, n }) => ({ kind, value, n }));
        const message = done.missing.length > 0 ? `no score for ${done.missing.join("; ")}` : null;
        await finish({ index, status: "explained", message, text: done.text, scores }, done, done.explanationId);
      } catch (error) {
        if (error instanceof BudgetReachedError) {
          await finish({ index, status: "skipped", message: error.message, text: null, scores: [] }, none);
        } else if (error instanceof FeatureExplainError) {
          await finish({ index, status: "failed", message: error.message, text: null, scores: [] }, none);
        } else {
          throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, request.indices.length)) }, lane));
  outcomes.sort((x, y) => request.indices.indexOf(x.index) - request.indices.indexOf(y.index));
  const baseline = cancelled ? [] : await randomBaseline(context, request, texts);
  const pairs = request.pairs && !cancelled ? await explainPairs(context, request) : [];
  return {
    outcomes,
    inputTokens: budget.inputTokens,
    outputTokens: budget.outputTokens,
    budgetReached: budget.reached,
    cancelled,
    baseline,
    pairs,
  };
}

/** Explains the interaction pairs among the request's features; a failed or skipped pair says why. */
async function explainPairs(context: ExplainContext, request: ExplainRequest): Promise<ExplainSummary["pairs"]> {
  const out: ExplainSummary["pairs"] = [];
  for (const { a, b } of await pairsAmong(context.sql, request.studyId, request.indices, request.indices.length)) {
    if (context.budget.reached) {
      out.push({ a, b, text: null, message: "the run's token budget is spent" });
      continue;
    }
    try {
      out.push({ a, b, text: await explainPair(context, request.studyId, a, b), message: null });
    } catch (error) {
      if (error instanceof BudgetReachedError || error instanceof FeatureExplainError) {
        out.push({ a, b, text: null, message: error.message });
      } else {
        throw error;
      }
    }
  }
  return out;
}

/** Scores the first explained feature with the second one's explanation and stores it as the study's baseline. */
async function randomBaseline(
  context: ExplainContext,
  request: ExplainRequest,
  texts: Map<number, { id: string; text: string }>,
): Promise<ExplainSummary["baseline"]> {
  const explained = request.indices.filter((index) => texts.has(index));
  const [target, source] = explained;
  const borrowed = source === undefined ? undefined : texts.get(source);
  if (target === undefined || borrowed === undefined || context.budget.reached) return [];
  const material = await loadMaterial(context.sql, request.studyId, target);
  const { scores } = await scoreExplanation(context, request.studyId, material, borrowed.text, request.scorers, (u) =>
    context.budget.spend(u),
  );
  for (const result of scores) await insertBaseline(context.sql, request.studyId, target, borrowed.id, result);
  return scores.map(({ kind, value, n }) => ({ kind, value, n }));
}
