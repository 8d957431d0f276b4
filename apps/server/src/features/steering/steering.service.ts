import type { HubAccess } from "@interlace/compute/lm";
import { resolveModel } from "@interlace/compute/lm";
import {
  checkSteerFeatures,
  type SteerFeature,
  SteerInputError,
  SteerTimeoutError,
  type StudyReader,
} from "@interlace/compute/steering";
import { readStudyIdentity, STUDY_FILE } from "@interlace/compute/study";
import type { Sql } from "../../db/sql.js";
import { badUserInput, isId, notFound, timedOut } from "../../graphql/errors.js";
import { StudyRefError, studyWithFolder } from "../../studies/feature-data.js";
import type { SteerFeatureInput, SteerResult, TextReading } from "./steering.type.js";

/** Bounds of the steering and text-reading requests (the compute side adds features ≤ 8, new tokens ≤ 64). */
export const STEERING_LIMITS = {
  /** Characters of a steering prompt. */
  maxPromptChars: 2_000,
  /** Characters of a text to read (its tokens must also fit the model's context). */
  maxTextChars: 4_000,
} as const;

/** What steering needs besides the database: the shared study reader and where models live. */
export interface SteeringDeps {
  reader: StudyReader;
  home: string;
  hub: HubAccess;
}

const ARGUMENTS = {
  prompt: "prompt",
  maxNewTokens: "maxNewTokens",
  features: "features",
  index: "features.index",
  mode: "features.mode",
  value: "features.value",
};

function checkText(name: string, value: string, max: number): string {
  if (value.trim() === "") throw badUserInput(`${name} is empty; give some text`);
  if (value.length > max) throw badUserInput(`${name} is ${value.length} characters long; use at most ${max}`);
  return value;
}

/** Client errors for what the compute side refuses; anything else stays internal. */
function asClientError(error: unknown): unknown {
  if (error instanceof SteerInputError) return badUserInput(error.message);
  if (error instanceof SteerTimeoutError) return timedOut(error.message);
  return error;
}

export class SteeringService {
  constructor(
    private readonly sql: Sql,
    private readonly deps: SteeringDeps,
  ) {}

  /** The study's folder and its model's local directory. */
  private async study(studyId: string): Promise<{ id: string; workDir: string; modelDir: string }> {
    if (!isId(studyId)) throw notFound(`there is no study with id "${studyId}"`);
    let study: { id: string; dir: string };
    try {
      study = await studyWithFolder(this.sql, studyId, this.deps.home);
    } catch (error) {
      if (error instanceof StudyRefError) throw notFound(error.message);
      throw error;
    }
    const identity = readStudyIdentity(study.dir);
    if (!identity) throw notFound(`the study's folder holds no ${STUDY_FILE} any more; run the study again`);
    const modelDir = await resolveModel(identity.modelName, this.deps.home, this.deps.hub);
    return { id: study.id, workDir: study.dir, modelDir };
  }

  async steer(request: {
    studyId: string;
    prompt: string;
    features: SteerFeatureInput[];
    maxNewTokens: number;
    seed: number | null;
  }): Promise<SteerResult> {
    const prompt = checkText("prompt", request.prompt, STEERING_LIMITS.maxPromptChars);
    try {
      checkSteerFeatures(request.features, Number.POSITIVE_INFINITY, undefined, ARGUMENTS);
      if (request.seed !== null && request.seed < 0) throw badUserInput(`seed must be ≥ 0 (got ${request.seed})`);
      const study = await this.study(request.studyId);
      const features = request.features.map(({ index, mode, value }) => ({ index, mode, value }));
      const timed = await this.deps.reader.steer(study, {
        prompt,
        features: features as SteerFeature[],
        maxNewTokens: request.maxNewTokens,
        seed: request.seed,
        names: ARGUMENTS,
      });
      const { result } = timed;
      return {
        studyId: study.id,
        hook: timed.hook,
        promptTokens: result.promptTokens,
        baseline: result.baseline,
        steered: result.steered,
        logProbDiff: result.logProbDiff,
        coldStart: timed.cold,
        elapsedMs: timed.totalMs,
      };
    } catch (error) {
      throw asClientError(error);
    }
  }

  async analyzeText(studyId: string, text: string): Promise<TextReading> {
    checkText("text", text, STEERING_LIMITS.maxTextChars);
    try {
      const study = await this.study(studyId);
      const timed = await this.deps.reader.analyze(study, text, { argument: "text" });
      return {
        studyId: study.id,
        hook: timed.hook,
        tokens: timed.result,
        coldStart: timed.cold,
        elapsedMs: timed.totalMs,
      };
    } catch (error) {
      throw asClientError(error);
    }
  }
}
