/** Ready-made write hooks: add a direction (steering) at chosen positions. */
import * as tf from "@tensorflow/tfjs";
import type { WriteHook } from "./types.js";

export interface AddVectorOptions {
  /** Multiplies the vector (default 1). */
  scale?: number;
  /** Sequence positions to change (default all; negative counts from the end). */
  positions?: readonly number[];
}

/** A write hook adding scale·vector to the activation [batch, seq, d] at the given positions of every row. */
export function addVectorHook(vector: ArrayLike<number>, options: AddVectorOptions = {}): WriteHook {
  const values = Float32Array.from(vector);
  const scale = options.scale ?? 1;
  return (activation) => {
    const [, seq, d] = activation.shape;
    if (values.length !== d) throw new Error(`addVectorHook: vector has ${values.length} values, the activation ${d}.`);
    const delta = tf.tensor1d(values).mul(scale);
    if (!options.positions) return activation.add(delta);
    const mask = new Float32Array(seq);
    for (const p of options.positions) {
      const index = p < 0 ? seq + p : p;
      if (index >= 0 && index < seq) mask[index] = 1;
    }
    return activation.add(tf.tensor2d(mask, [seq, 1]).mul(delta));
  };
}
