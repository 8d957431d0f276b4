import type { ExplainConfig } from "../config.js";
import type { SqlOrTransaction } from "../db/sql.js";
import { densestFeatures, existingFeatures } from "../features/explanation/explanation.repository.js";
import { NotConfiguredError } from "./claude.js";
import type { ExplainRequest } from "./explain-run.js";
import { SCORER_KINDS, type ScorerKind } from "./scoring.js";

/** A request that cannot be run as asked; the message names the argument and the fix. */
export class ExplainRequestError extends Error {
  override name = "ExplainRequestError";
}

export interface ExplainAsk {
  studyId: string;
  indices?: readonly number[] | null | undefined;
  top?: number | null | undefined;
  scorers?: readonly string[] | null | undefined;
  tokenBudget?: number | null | undefined;
  seed?: number | null | undefined;
  pairs?: boolean | null | undefined;
}

/** How the caller spells each argument (GraphQL: indices, top …; CLI: --features, --top …). */
export interface ArgumentNames {
  indices: string;
  top: string;
  scorers: string;
  tokenBudget: string;
  seed: string;
}

const MAX_SEED = 2_147_483_647;

/**
 * Checks an explain request before anything is queued or called: explaining is configured (ANTHROPIC_API_KEY), the
 * features are given one way and exist, there are at most INTERLACE_EXPLAIN_MAX_FEATURES of them, the scorers are
 * known, and the token budget is within the configured one. Duplicated indices are explained once.
 */
export async function checkExplainRequest(
  sql: SqlOrTransaction,
  config: ExplainConfig,
  ask: ExplainAsk,
  names: ArgumentNames,
): Promise<ExplainRequest> {
  if (config.apiKey === undefined) throw new NotConfiguredError();
  const hasIndices = ask.indices !== null && ask.indices !== undefined;
  const hasTop = ask.top !== null && ask.top !== undefined;
  if (hasIndices === hasTop) {
    throw new ExplainRequestError(`give either ${names.indices} or ${names.top} (exactly one of them)`);
  }
  let indices: number[];
  if (hasIndices) {
    const given = [...new Set(ask.indices)];
    if (given.length === 0) throw new ExplainRequestError(`${names.indices} is empty; list at least one feature index`);
    if (given.length > config.maxFeatures) {
      throw new ExplainRequestError(
        `${names.indices} lists ${given.length} features; at most ${config.maxFeatures} may be explained per request ` +
          "(INTERLACE_EXPLAIN_MAX_FEATURES): split the request",
      );
    }
    const bad = given.find((index) => !Number.isInteger(index) || index < 0 || index > MAX_SEED);
    if (bad !== undefined) throw new ExplainRequestError(`${names.indices}: ${bad} is not a feature index`);
    const found = new Set(await existingFeatures(sql, ask.studyId, given));
    const missing = given.filter((index) => !found.has(index));
    if (missing.length > 0) {
      throw new ExplainRequestError(
        `${names.indices}: the study has no feature ${missing.slice(0, 10).join(", ")}; pick indices from its features list`,
      );
    }
    indices = given;
  } else {
    const top = ask.top as number;
    if (!Number.isInteger(top) || top < 1 || top > config.maxFeatures) {
      throw new ExplainRequestError(
        `${names.top} must be a whole number between 1 and ${config.maxFeatures} (INTERLACE_EXPLAIN_MAX_FEATURES); got ${top}`,
      );
    }
    indices = await densestFeatures(sql, ask.studyId, top);
    if (indices.length === 0) throw new ExplainRequestError("the study has no features to explain");
  }
  const scorers: ScorerKind[] = [];
  for (const name of ask.scorers ?? SCORER_KINDS) {
    const kind = name.trim().toLowerCase();
    if (!(SCORER_KINDS as readonly string[]).includes(kind)) {
      throw new ExplainRequestError(`${names.scorers}: "${name}" is not a scorer; use ${SCORER_KINDS.join(" or ")}`);
    }
    if (!scorers.includes(kind as ScorerKind)) scorers.push(kind as ScorerKind);
  }
  const tokenBudget = ask.tokenBudget ?? config.tokenBudget;
  if (!Number.isInteger(tokenBudget) || tokenBudget < 1 || tokenBudget > config.tokenBudget) {
    throw new ExplainRequestError(
      `${names.tokenBudget} must be a whole number between 1 and ${config.tokenBudget} ` +
        `(the server's INTERLACE_EXPLAIN_TOKEN_BUDGET); got ${tokenBudget}`,
    );
  }
  const seed = ask.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ExplainRequestError(`${names.seed} must be a whole number between 0 and ${MAX_SEED}; got ${seed}`);
  }
  return { studyId: ask.studyId, indices, scorers, tokenBudget, seed, pairs: ask.pairs === true };
}
