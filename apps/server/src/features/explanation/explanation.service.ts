import type { ExplainConfig } from "../../config.js";
import type { Sql } from "../../db/sql.js";
import { NotConfiguredError } from "../../explain/claude.js";
import { EXPLAIN_RUN_KIND } from "../../explain/explain-executor.js";
import { checkExplainRequest, ExplainRequestError } from "../../explain/explain-request.js";
import { badUserInput, isId, notConfigured, notFound } from "../../graphql/errors.js";
import { TickBatcher } from "../../graphql/tick-batcher.js";
import type { Feature } from "../feature/feature.type.js";
import { enqueueRun } from "../run/run.repository.js";
import { toRun } from "../run/run.service.js";
import type { Run } from "../run/run.type.js";
import { studyExists } from "../study/study.repository.js";
import type { ExplainFeaturesArgs } from "./explanation.args.js";
import {
  type ExplanationRow,
  latestBaselines,
  listExplanations,
  listPairExplanations,
  listRunFeatures,
} from "./explanation.repository.js";
import {
  type ExplainFeatureOutcome,
  ExplainScorer,
  type Explanation,
  type ExplanationBaseline,
  type PairExplanation,
} from "./explanation.type.js";

const SCORER: Record<string, ExplainScorer> = { detection: ExplainScorer.DETECTION, fuzzing: ExplainScorer.FUZZING };

function toExplanation(row: ExplanationRow): Explanation {
  return {
    id: row.id,
    text: row.text,
    model: row.model,
    promptVersion: row.promptVersion,
    seed: row.seed,
    createdAt: new Date(row.createdAt),
    scores: row.scores.map((score) => ({ ...score, kind: SCORER[score.kind] ?? ExplainScorer.DETECTION })),
  };
}

/** Explanations of features and pairs, the study baseline, and explain requests (queued as runs). */
export class ExplanationService {
  private readonly batcher: TickBatcher<Feature, Explanation[]>;
  private readonly runBatcher: TickBatcher<string, ExplainFeatureOutcome[]>;

  constructor(
    private readonly sql: Sql,
    private readonly config: ExplainConfig,
  ) {
    this.batcher = new TickBatcher(async (features) => {
      const rows = await listExplanations(this.sql, features);
      return features.map((f) =>
        rows.filter((row) => row.studyId === f.studyId && row.featureIndex === f.index).map(toExplanation),
      );
    });
    this.runBatcher = new TickBatcher<string, ExplainFeatureOutcome[]>(async (runIds) => {
      const rows = await listRunFeatures(this.sql, runIds);
      return runIds.map((id) =>
        rows
          .filter((row) => row.runId === id)
          .map((row) => ({
            featureIndex: row.featureIndex,
            status: row.status,
            message: row.error,
            tokens: row.inputTokens + row.outputTokens,
          })),
      );
    });
  }

  /** Each feature's outcome in an explain run so far (empty for other runs). */
  ofRun(runId: string): Promise<ExplainFeatureOutcome[]> {
    return this.runBatcher.load(runId);
  }

  /** Every explanation of the feature, newest first (batched over a page of features). */
  ofFeature(feature: Feature): Promise<Explanation[]> {
    return this.batcher.load(feature);
  }

  async baselines(studyId: string): Promise<ExplanationBaseline[]> {
    const rows = await latestBaselines(this.sql, studyId);
    return rows.map((row) => ({ ...row, kind: SCORER[row.kind] ?? ExplainScorer.DETECTION }));
  }

  /** What the pair (a, b) does together, newest first; for the interaction pair type. */
  async ofPair(studyId: string, a: number, b: number): Promise<PairExplanation[]> {
    return explanationsOfPair(this.sql, studyId, a, b);
  }

  /** Checks the request (refusing it before anything is queued or called) and queues an explain run. */
  async request(args: ExplainFeaturesArgs): Promise<Run> {
    if (!isId(args.studyId) || !(await studyExists(this.sql, args.studyId))) {
      throw notFound(`studyId: there is no study with id "${args.studyId}"; list the studies to find its id`);
    }
    try {
      const request = await checkExplainRequest(
        this.sql,
        this.config,
        { ...args, scorers: args.scorers?.map((s) => s.toLowerCase()) },
        { indices: "indices", top: "top", scorers: "scorers", tokenBudget: "tokenBudget", seed: "seed" },
      );
      return toRun(await enqueueRun(this.sql, { kind: EXPLAIN_RUN_KIND, params: { ...request } }));
    } catch (error) {
      if (error instanceof NotConfiguredError) throw notConfigured(error.message);
      if (error instanceof ExplainRequestError) throw badUserInput(error.message);
      throw error;
    }
  }
}

/** Explanations of the interaction pair (a, b) (either order), newest first. */
export async function explanationsOfPair(sql: Sql, studyId: string, a: number, b: number): Promise<PairExplanation[]> {
  if (!isId(studyId)) return [];
  const rows = await listPairExplanations(sql, studyId, a, b);
  return rows.map(({ id, text, model, promptVersion, createdAt }) => ({
    id,
    text,
    model,
    promptVersion,
    createdAt: new Date(createdAt),
  }));
}
