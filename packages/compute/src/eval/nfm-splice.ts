/**
 * How much of the language-model loss the SAE loses does the NFM give back? The SAE's reconstruction plus the NFM's
 * prediction of its error, ŷ(f[, x]), is spliced in at the hook; compared with the SAE alone, clean and zero-ablated.
 */
import * as tf from "@tensorflow/tfjs";
import type { LanguageModel, WriteHook } from "../lm/types.js";
import type { ResidualModel } from "../nfm/model.js";
import type { Sae } from "../sae/sae.js";
import { crossEntropyUnderHooks, saeSpliceHook, zeroAblation } from "./ce-loss.js";

export interface NfmSpliceMetrics {
  tokens: number;
  ce_loss_without_sae: number;
  ce_loss_with_sae: number;
  ce_loss_with_sae_nfm: number;
  ce_loss_with_ablation: number;
  /** SAELens' ce_loss_score of the SAE alone and of SAE + NFM. */
  ce_loss_score_sae: number;
  ce_loss_score_sae_nfm: number;
  /** Share of the SAE's CE gap (CE_sae − CE_clean) the NFM closes; negative when splicing it in hurts. */
  ce_gap_recovered_by_nfm: number;
  kl_div_with_sae: number;
  kl_div_with_sae_nfm: number;
}

/** The write hook that replaces an activation by SAE(x) + ŷ, the residual model's prediction of x − SAE(x). */
export function saeNfmSpliceHook(sae: Sae, residualModel: ResidualModel, needsX: boolean): WriteHook {
  return (activation) => {
    const [b, s, d] = activation.shape;
    const rows = b * s;
    const x = activation.reshape([rows, d]) as tf.Tensor2D;
    const { f, xHat } = sae.forwardTensor(x);
    const yHat = residualModel.predict(
      f.dataSync() as Float32Array,
      needsX ? (x.dataSync() as Float32Array) : null,
      rows,
    );
    const out = tf.tidy(() => tf.add(xHat, tf.tensor2d(yHat, [rows, d])).reshape([b, s, d]) as tf.Tensor3D);
    tf.dispose([x, f, xHat]);
    return out;
  };
}

export function nfmSpliceMetrics(
  model: LanguageModel,
  sae: Sae,
  residualModel: ResidualModel,
  windows: readonly (readonly number[])[],
  options: { hook: string; needsX: boolean; batchSize?: number },
): NfmSpliceMetrics {
  const { hook } = options;
  const { tokens, ce, kl } = crossEntropyUnderHooks(
    model,
    windows,
    {
      sae: { [hook]: saeSpliceHook(sae) },
      sae_nfm: { [hook]: saeNfmSpliceHook(sae, residualModel, options.needsX) },
      ablation: { [hook]: zeroAblation },
    },
    options.batchSize ?? 8,
  );
  const [clean, withSae, withBoth, ablation] = [ce["clean"]!, ce["sae"]!, ce["sae_nfm"]!, ce["ablation"]!];
  return {
    tokens,
    ce_loss_without_sae: clean,
    ce_loss_with_sae: withSae,
    ce_loss_with_sae_nfm: withBoth,
    ce_loss_with_ablation: ablation,
    ce_loss_score_sae: (ablation - withSae) / (ablation - clean),
    ce_loss_score_sae_nfm: (ablation - withBoth) / (ablation - clean),
    ce_gap_recovered_by_nfm: (withSae - withBoth) / (withSae - clean),
    kl_div_with_sae: kl["sae"]!,
    kl_div_with_sae_nfm: kl["sae_nfm"]!,
  };
}
