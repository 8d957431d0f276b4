/**
 * The host values of a tensor computed in a tidy scope. Never return values from tf.tidy itself: tidy walks whatever
 * its function returns looking for tensors, and on a typed array that walk visits every element through a string key
 * (a `for…in` over the indices). For an 8192 × 256 product that is about 10 MB of heap garbage and a few hundred
 * milliseconds per call; a study computing its residuals that way left ~0.5 GB of garbage on the heap.
 */
import * as tf from "@tensorflow/tfjs";

/** Runs `build` in a tidy scope (its intermediate tensors are freed) and returns its result's values. */
export function tidyValues(build: () => tf.Tensor): Float32Array {
  const result = tf.tidy(build);
  try {
    return result.dataSync() as Float32Array;
  } finally {
    result.dispose();
  }
}
