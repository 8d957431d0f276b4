import { openCorpus } from "../../corpus/open-corpus.js";
import { harvest } from "../../harvest/harvest.js";
import type { TransformerModel } from "../../lm/transformer-model.js";
import { type StudyContext, signalOf, throwIfAborted } from "./context.js";

/** Harvests the study's activations into its store (resuming from the last complete shard). */
export async function harvestStage(context: StudyContext, model: TransformerModel): Promise<void> {
  const s = context.settings;
  await harvest({
    model,
    modelName: context.modelName,
    hook: context.hook,
    corpus: openCorpus(s.corpus),
    tokens: s.tokens,
    context: s.context,
    out: context.paths.activations,
    onProgress: (e) => context.phase("harvest", e.done / e.total, `harvest ${e.done}/${e.total} tokens`),
    ...signalOf(context),
  });
  throwIfAborted(context.signal);
}
