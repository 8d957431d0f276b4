/**
 * Matrix products whose gradients avoid tfjs-wasm's slow transposed matMul path (~50× slower than an explicit
 * transpose). Each backward product is ordered so that only the smaller operand is transposed. The bias add's
 * gradient likewise avoids the broadcast add's: its column sum over the batch is a transpose and a row sum in
 * tfjs-wasm, a fifth of an NFM training step; here it is one product with a row of ones.
 */
import * as tf from "@tensorflow/tfjs";

type GradientFunction = Parameters<typeof tf.customGrad>[0];

/** ∂(a·b)/∂b given dy: aᵀ·dy, computed as (dyᵀ·a)ᵀ when a is the larger operand. */
function gradB(a: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  if (a.size > dy.size) return tf.transpose(tf.matMul(tf.transpose(dy), a)) as tf.Tensor2D;
  return tf.matMul(tf.transpose(a), dy);
}

/** a·b, differentiable in both a and b. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const fn = (x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)), gradB(sx, dy as tf.Tensor2D)];
      },
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(a, b) as tf.Tensor2D;
}

/** a·b where a is data (no gradient flows to it): saves the dy·bᵀ product a full backward would compute. */
export function matMulConstA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const fn = (w: tf.Tensor, save: tf.GradSaveFunc) => {
    save([a]);
    return {
      value: tf.matMul(a, w as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradB(saved[0] as tf.Tensor2D, dy as tf.Tensor2D),
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(b) as tf.Tensor2D;
}

/** x + bias for x [rows, n] and bias [n], differentiable in both; the bias gradient is 1ᵀ·dy. */
export function addBias(x: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const fn = (input: tf.Tensor, b: tf.Tensor) => ({
    value: tf.add(input, b),
    gradFunc: (dy: tf.Tensor) => {
      const [rows, n] = dy.shape as [number, number];
      return [dy, tf.reshape(tf.matMul(tf.ones([1, rows]), dy as tf.Tensor2D), [n])];
    },
  });
  return tf.customGrad(fn as unknown as GradientFunction)(x, bias) as tf.Tensor2D;
}
