/**
 * One training step of the NFM and its matched-MLP control at the default study's shape (d_sae 2048, d_in 256,
 * K 64, batch 1024, L0 ≈ 23 active features a row): the code f entering every product sparse (what the study
 * trains with) against the same model with f as a dense tensor (the products before). Both compute the same loss
 * and gradients on the same batch; the bench checks that, then reports the median step time (forward, backward,
 * Adam) of each and the ratio.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { ResidualModel } from "../src/nfm/model.js";
import { denseCodes } from "../src/nfm/sparse-product.js";
import { syntheticResidualData } from "../src/nfm/synthetic.js";
import { interactionConfigOf } from "../src/nfm/train.js";
import { modelConfig } from "../src/nfm/variants.js";
import { createRng } from "../src/stats/rng.js";
import { Adam } from "../src/train/adam.js";
import { benchBackend } from "./backend.js";

const SHAPE = { dSae: 2048, dIn: 256, k: 64, batch: 1024, activePerRow: 23 };
const WARMUP = 3;
const STEPS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Loss and gradients of one batch, then an Adam update; `dense` feeds f as a dense tensor. */
function step(model: ResidualModel, adam: Adam, batch: ReturnType<typeof makeBatch>, dense: boolean): number {
  const { value, grads } = tf.tidy(() => {
    const inputs = model.scaledInputs(batch.f, null, SHAPE.batch);
    const f = dense ? (tf.tensor2d(denseCodes(inputs.f), [SHAPE.batch, SHAPE.dSae]) as tf.Tensor2D) : inputs.f;
    const target = tf.mul(tf.tensor2d(batch.r, [SHAPE.batch, SHAPE.dIn]), model.scales.r);
    return tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(model.forward(f, null, null), target))) as tf.Scalar,
      Object.values(model.params),
    );
  });
  const named: Record<string, tf.Tensor> = {};
  for (const [name, p] of Object.entries(model.params)) if (grads[p.name]) named[name] = grads[p.name]!;
  const loss = value.dataSync()[0]!;
  adam.apply(named, 1e-3, 1);
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

function makeBatch() {
  const data = syntheticResidualData({ ...SHAPE, rows: SHAPE.batch, k: 8, seed: 3 });
  const rows = Int32Array.from({ length: SHAPE.batch }, (_, i) => i);
  return data.sparseBatch(rows);
}

export async function benchNfm(): Promise<Record<string, unknown>> {
  const backend = await initBackend(benchBackend());
  const batch = makeBatch();
  const out: Record<string, unknown> = { backend, ...SHAPE, steps: STEPS };
  for (const kind of ["full", "mlp_matched"] as const) {
    const config = modelConfig(kind, SHAPE.dSae, SHAPE.dIn, interactionConfigOf({ k: SHAPE.k }));
    const timings: Record<string, number> = {};
    const firstLoss: Record<string, number> = {};
    for (const path of ["sparse", "dense"] as const) {
      const model = new ResidualModel(config, { f: 1, x: 1, r: 1 }, createRng(0));
      const adam = new Adam(model.params);
      try {
        const times: number[] = [];
        for (let i = 0; i < WARMUP + STEPS; i++) {
          const started = performance.now();
          const loss = step(model, adam, batch, path === "dense");
          if (i === 0) firstLoss[path] = loss;
          if (i >= WARMUP) times.push(performance.now() - started);
        }
        timings[path] = median(times);
      } finally {
        adam.dispose();
        model.dispose();
      }
    }
    const agree = Math.abs(firstLoss["sparse"]! - firstLoss["dense"]!) <= 1e-4 * Math.abs(firstLoss["dense"]!);
    if (!agree) {
      throw new Error(
        `${kind}: the sparse and dense steps disagree (loss ${firstLoss["sparse"]} vs ${firstLoss["dense"]}).`,
      );
    }
    out[kind] = {
      sparseStepMs: Number(timings["sparse"]!.toFixed(1)),
      denseStepMs: Number(timings["dense"]!.toFixed(1)),
      speedup: Number((timings["dense"]! / timings["sparse"]!).toFixed(2)),
      firstLoss: firstLoss["sparse"],
    };
  }
  return out;
}
