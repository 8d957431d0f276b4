import { type NfmSpliceMetrics, nfmSpliceMetrics } from "../../eval/nfm-splice.js";
import { storeWindows } from "../../eval/store-windows.js";
import type { TransformerModel } from "../../lm/transformer-model.js";
import type { ResidualModel } from "../../nfm/model.js";
import type { Sae } from "../../sae/sae.js";
import type { ActivationStore } from "../../store/reader.js";
import type { StudyContext } from "./context.js";
import type { Lazy } from "./lazy.js";
import { studySplit } from "./rows.js";

/** CE loss of the LM on held-out windows with the SAE, and with SAE + full NFM, spliced in at the hook. */
export async function ceStage(
  context: StudyContext,
  model: Lazy<TransformerModel>,
  store: ActivationStore,
  sae: Sae,
  nfm: ResidualModel,
): Promise<NfmSpliceMetrics | null> {
  const split = studySplit(context.settings);
  const { windows } = storeWindows(store, context.settings.ceWindows, { ...split, split: "heldOut" });
  if (windows.length === 0) return null;
  return nfmSpliceMetrics(await model.get(), sae, nfm, windows, { hook: context.hook, needsX: false });
}
