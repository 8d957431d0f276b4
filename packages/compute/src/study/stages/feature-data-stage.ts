import type { TransformerModel } from "../../lm/transformer-model.js";
import type { Sae } from "../../sae/sae.js";
import type { ActivationStore } from "../../store/reader.js";
import { computeFeatureData } from "../feature-data/feature-data.js";
import type { FeatureData } from "../feature-data/types.js";
import type { StudyContext } from "./context.js";
import { studyHeldOut } from "./rows.js";

/** Every feature's page data on the study's held-out rows (the rows the SAE is evaluated on). */
export function featureDataStage(
  context: StudyContext,
  store: ActivationStore,
  sae: Sae,
  model: TransformerModel,
): FeatureData[] {
  const { selection, maxRows } = studyHeldOut(context.settings);
  return computeFeatureData({
    store,
    sae,
    unembedding: model.unembedding(),
    tokenizer: model.tokenizer,
    selection,
    maxRows,
    ...(context.signal ? { signal: context.signal } : {}),
    onProgress: (f) => context.phase("summaries", 0.6 + 0.4 * f, "feature data on held-out rows"),
  });
}
