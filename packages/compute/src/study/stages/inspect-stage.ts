import type { Tokenizer } from "../../lm/types.js";
import { CoActivationIndex, embeddingOf, type InteractionPair, topPairs } from "../../nfm/inspect.js";
import type { ResidualModel } from "../../nfm/model.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import type { ActivationStore } from "../../store/reader.js";
import { summariseFeatures } from "../feature-summaries.js";
import type { FeatureSummary } from "../types.js";
import type { StudyContext } from "./context.js";
import type { StudyRows } from "./rows.js";

/** The full NFM's strongest co-active pairs, and every feature's density and activation examples. */
export function inspectStage(
  context: StudyContext,
  rows: StudyRows,
  data: ResidualData,
  fullModel: ResidualModel,
  store: ActivationStore,
  tokenizer: Tokenizer,
): { pairs: InteractionPair[]; features: FeatureSummary[] } {
  const s = context.settings;
  const coActivation = new CoActivationIndex(data, rows.trainRows);
  const pairs = topPairs(embeddingOf(fullModel), { count: s.topPairs, coActivation, supportedOnly: true });
  const features = summariseFeatures({
    data,
    storeRows: rows.storeRows,
    densityRows: rows.heldOutRows,
    context: s.context,
    examplesPerFeature: s.examplesPerFeature,
    source: {
      context: (row) => store.rowContext(row, 12, 4),
      tokenString: (id) => tokenizer.tokenString(id),
    },
  });
  return { pairs, features };
}
