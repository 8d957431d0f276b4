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

export const zeroAblation: WriteHook = (activation) => tf.zerosLike(activation);

function hookOf(sae: Sae, options: CeLossOptions): string {
  const hook = options.hook ?? sae.cfg.metadata["hook_name"];
  if (typeof hook !== "string" || hook === "") {
    throw new Error(
      "the SAE's cfg.json names no metadata.hook_name; pass the hook to splice at (e.g. blocks.3.hook_resid_post).",
    );
  }
  return hook;
}

/** Mean next-token CE of each variant and its KL from the clean run (variant null = the clean model itself). */
export interface VariantLosses {
  tokens: number;
  ce: Record<string, number>;
  kl: Record<string, number>;
}

/**
 * Runs the model over equal-length token windows once clean and once per variant (a set of write hooks), and returns
 * each variant's mean next-token cross-entropy and mean KL(clean‖variant) over positions.
 */
export function crossEntropyUnderHooks(
  model: LanguageModel,
  windows: readonly (readonly number[])[],
  variants: Readonly<Record<string, Readonly<Record<string, WriteHook>>>>,
  batchSize = 8,
): VariantLosses {
  const seq = windows[0]?.length ?? 0;
  if (seq < 2 || windows.some((w) => w.length !== seq)) {
    throw new Error("cross-entropy needs windows of one length ≥ 2 tokens; cut the text into equal windows.");
  }
  const names = Object.keys(variants);
  const ceSums: Record<string, number> = { clean: 0 };
  const klSums: Record<string, number> = {};
  for (const name of names) {
    ceSums[name] = 0;
    klSums[name] = 0;
  }
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
    const logProbs = (writeHooks?: Readonly<Record<string, WriteHook>>): tf.Tensor2D => {
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
    const cleanNll = nll(clean);
    ceSums["clean"]! += cleanNll.dataSync()[0]!;
    cleanNll.dispose();
    for (const name of names) {
      const patched = logProbs(variants[name]);
      const packed = tf.tidy(() => tf.stack([nll(patched), kl(clean, patched)]));
      const [c, k] = Array.from(packed.dataSync());
      tf.dispose([packed, patched]);
      ceSums[name]! += c!;
      klSums[name]! += k!;
    }
    tf.dispose([clean, targetIndex]);
    tokens += targets.length;
    positions += b * seq;
  }
  const ce: Record<string, number> = {};
  const kl: Record<string, number> = {};
  for (const [name, sum] of Object.entries(ceSums)) ce[name] = sum / tokens;
  for (const [name, sum] of Object.entries(klSums)) kl[name] = sum / positions;
  return { tokens, ce, kl };
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
  const { tokens, ce, kl } = crossEntropyUnderHooks(
    model,
    windows,
    { sae: { [hook]: saeSpliceHook(sae) }, ablation: { [hook]: zeroAblation } },
    options.batchSize ?? 8,
  );
  const [clean, withSae, ablation] = [ce["clean"]!, ce["sae"]!, ce["ablation"]!];
  const [klSae, klAblation] = [kl["sae"]!, kl["ablation"]!];
  return {
    windows: windows.length,
    tokens,
    ce_loss_without_sae: clean,
    ce_loss_with_sae: withSae,
    ce_loss_with_ablation: ablation,
    ce_loss_score: (ablation - withSae) / (ablation - clean),
    kl_div_with_sae: klSae,
    kl_div_with_ablation: klAblation,
    kl_div_score: (klAblation - klSae) / klAblation,
  };
}
