import type { TransformerModel } from "../../lm/transformer-model.js";
import type { Sae } from "../../sae/sae.js";
import type { ActivationStore } from "../../store/reader.js";
import { computeFeatureData } from "../feature-data/feature-data.js";
import type { FeatureData } from "../feature-data/types.js";
import type { StudySettings } from "../options.js";
import type { StudyContext } from "./context.js";
import { studyHeldOut } from "./rows.js";

export interface HeldOutFeatureDataInput {
  settings: Pick<StudySettings, "heldOutFraction" | "tokens">;
  store: ActivationStore;
  sae: Sae;
  model: TransformerModel;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Every feature's page data on a study's held-out rows (the rows the SAE is evaluated on). */
export function heldOutFeatureData(input: HeldOutFeatureDataInput): FeatureData[] {
  const { selection, maxRows } = studyHeldOut(input.settings);
  return computeFeatureData({
    store: input.store,
    sae: input.sae,
    unembedding: input.model.unembedding(),
    tokenizer: input.model.tokenizer,
    selection,
    maxRows,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
}

/** The study's feature-data stage: held-out feature data with the study's progress and cancellation. */
export function featureDataStage(
  context: StudyContext,
  store: ActivationStore,
  sae: Sae,
  model: TransformerModel,
): FeatureData[] {
  return heldOutFeatureData({
    settings: context.settings,
    store,
    sae,
    model,
    ...(context.signal ? { signal: context.signal } : {}),
    onProgress: (f) => context.phase("sae", 1, `feature data on held-out rows (${Math.round(100 * f)}%)`),
  });
}
