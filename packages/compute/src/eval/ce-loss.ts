/**
 * The SAE's effect on the language model's next-token loss, as SAELens reports it: the model's cross-entropy clean,
 * with the SAE's reconstruction spliced in at its hook (a write hook), and with the hook zero-ablated;
 * ce_loss_score = (CE_ablation − CE_sae) / (CE_ablation − CE_clean), 1 when the SAE loses nothing. KL(clean‖patched)
 * of the next-token distributions, averaged over every position, with kl_div_score = (KL_ablation − KL_sae) / KL_ablation.
 */
import * as tf from "@tensorflow/tfjs";
import type { LanguageModel, WriteHook } from "../lm/types.js";
import type { Sae } from "../sae/sae.js";

export interface CeLossMetrics {
  /** Windows and predicted tokens evaluated (the last position of a window has no target). */
  windows: number;
  tokens: number;
  ce_loss_without_sae: number;
  ce_loss_with_sae: number;
  ce_loss_with_ablation: number;
  ce_loss_score: number;
  kl_div_with_sae: number;
  kl_div_with_ablation: number;
  kl_div_score: number;
}

export interface CeLossOptions {
  /** Hook to splice at (default: the SAE's cfg metadata.hook_name). */
  hook?: string;
  /** Windows per forward pass (default 8). */
  batchSize?: number;
}

/** The write hook that replaces an activation [b, s, d] by the SAE's reconstruction of it. */
export function saeSpliceHook(sae: Sae): WriteHook {
  return (activation) => {
    const [b, s, d] = activation.shape;
    const { f, xHat } = sae.forwardTensor(activation.reshape([b * s, d]) as tf.Tensor2D);
    f.dispose();
    return xHat.reshape([b, s, d]) as tf.Tensor3D;
  };
}

const zeroAblation: WriteHook = (activation) => tf.zerosLike(activation);

function hookOf(sae: Sae, options: CeLossOptions): string {
  const hook = options.hook ?? sae.cfg.metadata["hook_name"];
  if (typeof hook !== "string" || hook === "") {
    throw new Error(
      "the SAE's cfg.json names no metadata.hook_name; pass the hook to splice at (e.g. blocks.3.hook_resid_post).",
    );
  }
  return hook;
}

/** CE clean / with the SAE / zero-ablated and the KL divergences over token windows (all of one length). */
export function ceLossScore(
  model: LanguageModel,
  sae: Sae,
  windows: readonly (readonly number[])[],
  options: CeLossOptions = {},
): CeLossMetrics {
  const hook = hookOf(sae, options);
  if (sae.dIn !== model.info.dModel) {
    throw new Error(
      `the SAE takes d_in ${sae.dIn} but ${model.info.name} has d_model ${model.info.dModel}; pair the SAE with its model.`,
    );
  }
  const seq = windows[0]?.length ?? 0;
  if (seq < 2 || windows.some((w) => w.length !== seq)) {
    throw new Error("ceLossScore needs windows of one length ≥ 2 tokens; cut the text into equal windows.");
  }
  const batchSize = options.batchSize ?? 8;
  const splice = saeSpliceHook(sae);
  const sums = { clean: 0, sae: 0, ablation: 0, klSae: 0, klAblation: 0 };
  let tokens = 0;
  let positions = 0;
  for (let start = 0; start < windows.length; start += batchSize) {
    const batch = windows.slice(start, start + batchSize);
    const b = batch.length;
    const targets: number[] = [];
    batch.forEach((ids, row) => {
      for (let p = 0; p < seq - 1; p++) targets.push((row * seq + p) * model.info.vocabSize + ids[p + 1]!);
    });
    const targetIndex = tf.tensor1d(targets, "int32");
    const logProbs = (writeHooks?: Record<string, WriteHook>): tf.Tensor2D => {
      const { logits, hooks } = model.forward(batch, writeHooks ? { writeHooks } : {});
      tf.dispose(Object.values(hooks));
      const out = tf.tidy(() => tf.logSoftmax(logits!.reshape([b * seq, model.info.vocabSize])) as tf.Tensor2D);
      logits!.dispose();
      return out;
    };
    const nll = (lp: tf.Tensor2D) => tf.tidy(() => tf.neg(tf.sum(tf.gather(lp.reshape([-1]), targetIndex))));
    const kl = (clean: tf.Tensor2D, other: tf.Tensor2D) =>
      tf.tidy(() => tf.sum(tf.mul(tf.exp(clean), tf.sub(clean, other))));
    const clean = logProbs();
    const withSae = logProbs({ [hook]: splice });
    const ablated = logProbs({ [hook]: zeroAblation });
    const packed = tf.tidy(() =>
      tf.stack([nll(clean), nll(withSae), nll(ablated), kl(clean, withSae), kl(clean, ablated)]),
    );
    const [c, s, a, ks, ka] = Array.from(packed.dataSync());
    tf.dispose([packed, clean, withSae, ablated, targetIndex]);
    sums.clean += c!;
    sums.sae += s!;
    sums.ablation += a!;
    sums.klSae += ks!;
    sums.klAblation += ka!;
    tokens += targets.length;
    positions += b * seq;
  }
  const ce = { clean: sums.clean / tokens, sae: sums.sae / tokens, ablation: sums.ablation / tokens };
  const klSae = sums.klSae / positions;
  const klAblation = sums.klAblation / positions;
  return {
    windows: windows.length,
    tokens,
    ce_loss_without_sae: ce.clean,
    ce_loss_with_sae: ce.sae,
    ce_loss_with_ablation: ce.ablation,
    ce_loss_score: (ce.ablation - ce.sae) / (ce.ablation - ce.clean),
    kl_div_with_sae: klSae,
    kl_div_with_ablation: klAblation,
    kl_div_score: (klAblation - klSae) / klAblation,
  };
}
