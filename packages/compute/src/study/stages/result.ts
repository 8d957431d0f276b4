import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InteractionPair } from "../../nfm/inspect.js";
import type { SaeMetrics } from "../../sae/evaluate.js";
import type { FeatureData } from "../feature-data/types.js";
import type { InteractionStudyResult } from "../interaction/controls.js";
import type { StudyReport } from "../report-types.js";
import type { FeatureSummary, InteractionInspectionData, InteractionPairData, StudyResult } from "../types.js";
import type { StudyContext } from "./context.js";
import type { StudyRows } from "./rows.js";

export interface StudyResultInput {
  rows: StudyRows;
  dSae: number;
  saeMetrics: SaeMetrics;
  study: InteractionStudyResult;
  pairs: InteractionPair[];
  features: FeatureSummary[];
  stored: InteractionPairData[];
  inspection: InteractionInspectionData;
  featureData: FeatureData[];
  report: StudyReport;
}

/** What the server stores of a study: headline metrics, features, interaction pairs and the report. */
export function studyResult(context: StudyContext, input: StudyResultInput): StudyResult {
  const { rows, saeMetrics, study } = input;
  return {
    name: context.name,
    model: context.modelName,
    modelType: modelTypeOf(context.modelDir),
    hook: context.hook,
    metrics: {
      tokens: rows.split.train + rows.split.validation + rows.split.held_out,
      dIn: rows.d,
      dSae: input.dSae,
      saeExplainedVariance: saeMetrics.explained_variance,
      saeL0: saeMetrics.l0,
      saeMse: saeMetrics.mse,
      deadFraction: saeMetrics.dead_fraction,
      nfmErrorReduction: study.full.er,
      nfmErrorReductionCi95: study.full.ci95,
      nfmK: context.settings.nfmK,
    },
    features: input.features,
    featureData: input.featureData,
    interactions: input.stored,
    inspection: input.inspection,
    report: input.report,
  };
}

function modelTypeOf(dir: string): string {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { model_type?: string };
  return config.model_type ?? "unknown";
}
