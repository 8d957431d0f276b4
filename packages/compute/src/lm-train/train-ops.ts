/**
 * Differentiable pieces of GPT-2 training whose tfjs gradients are missing or slow on the wasm backend:
 * the embedding lookup (gather's gradient needs UnsortedSegmentSum, which wasm lacks), cross-entropy over a large
 * vocabulary (one fused backward instead of several [rows, vocab] intermediates) and causal attention (batched
 * matMul and transposed operands take slow paths on wasm: every product here is a plain 2-D matMul per head).
 */
import * as tf from "@tensorflow/tfjs";

type GradientFunction = Parameters<typeof tf.customGrad>[0];

/** Rows of `table` [vocab, d] at `ids` (int32 [n]) → [n, d]; the gradient scatters back by summing duplicates. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const fn = (t: tf.Tensor) => ({
    value: tf.gather(t, ids),
    gradFunc: (dy: tf.Tensor) => tf.scatterND(ids.expandDims(1), dy, t.shape),
  });
  return tf.customGrad(fn as unknown as GradientFunction)(table) as tf.Tensor2D;
}

/** Mean next-token cross-entropy of `logits` [n, vocab] against `targets` (int32 [n]). */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows, vocab] = logits.shape;
  const fn = (x: tf.Tensor, save: tf.GradSaveFunc) => {
    const shifted = tf.sub(x, tf.max(x, 1, true));
    const exps = tf.exp(shifted);
    const sums = tf.sum(exps, 1, true);
    save([tf.div(exps, sums)]);
    const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, "int32"), tf.scalar(vocab, "int32")), targets);
    const picked = tf.gather(shifted.reshape([rows * vocab]), flatIndex);
    return {
      value: tf.mean(tf.sub(tf.log(sums.reshape([rows])), picked)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const probs = saved[0]!;
        const at = tf.stack([tf.range(0, rows, 1, "int32"), targets], 1);
        const lessOne = tf.sub(tf.gatherND(probs, at), 1);
        return tf.mul(tf.tensorScatterUpdate(probs, at, lessOne), tf.div(dy, rows));
      },
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(logits) as tf.Scalar;
}

/**
 * Per-channel products as one depthwise convolution (on wasm, batched matMul takes a slow scalar path and splitting
 * into 2-D products costs more in slicing than it saves): input [m, k, N] and filter [k, N, n] give
 * out [m, N, n] with out[:, c, :] = input[:, :, c] · filter[:, c, :].
 */
export function channelMatMul(input: tf.Tensor3D, filter: tf.Tensor3D): tf.Tensor3D {
  const [m, k, channels] = input.shape;
  const n = filter.shape[2];
  const x = input.reshape([1, m, k, channels]) as tf.Tensor4D;
  const f = filter.reshape([1, k, channels, n]) as tf.Tensor4D;
  return tf.depthwiseConv2d(x, f, 1, "valid").reshape([m, channels, n]) as tf.Tensor3D;
}

/**
 * dW = xᵀ·dy for x [rows, in], dy [rows, out], transposing the smaller operand (a large transpose on wasm costs
 * more than the product): xᵀ·dy or (dyᵀ·x)ᵀ.
 */
function weightGradient(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  if (x.size > dy.size) return tf.transpose(tf.matMul(tf.transpose(dy), x)) as tf.Tensor2D;
  return tf.matMul(tf.transpose(x), dy);
}

/** Σ over rows of x [rows, cols] → [cols], as a product with a row of ones (wasm's axis-0 sum is slow). */
function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return tf.matMul(tf.ones([1, x.shape[0]]), x).reshape([x.shape[1]]) as tf.Tensor1D;
}

/**
 * x [rows, in] · w [in, out] + b [out]. The backward products need no transposed-operand matMul and the bias
 * gradient is a product with ones: dx = dy·wᵀ, dw = xᵀ·dy, db = 1ᵀ·dy.
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const fn = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xs, ws]);
    return {
      value: tf.add(tf.matMul(xs as tf.Tensor2D, ws as tf.Tensor2D), bs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, tf.transpose(sw)), weightGradient(sx, g), sumRows(g)];
      },
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(x, w, b) as tf.Tensor2D;
}

/** x [rows, d] ⊙ gain [d] + bias [d] (LayerNorm's affine part), with row sums as products for the gradients. */
export function affine(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
  const fn = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xs, gs]);
    return {
      value: tf.add(tf.mul(xs, gs), bs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg] = saved as [tf.Tensor2D, tf.Tensor1D];
        const g = dy as tf.Tensor2D;
        return [tf.mul(g, sg), sumRows(tf.mul(g, sx)), sumRows(g)];
      },
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(x, gain, bias) as tf.Tensor2D;
}

/**
 * Causal softmax attention for q, k, v laid out [seq, channels, headDim] (one channel per batch row × head), the
 * result in the same layout; `mask` [seq, 1, seq] is 0 where a query may see a key and −1e9 elsewhere. Every product
 * is a channelMatMul. Backward, with S = q·kᵀ/√hd and P = softmax(S + mask):
 * dV = Pᵀ·dO, dS = P ⊙ (dP − Σ dP ⊙ P) with dP = dO·vᵀ, dQ = dS·k/√hd, dK = dSᵀ·q/√hd.
 */
export function causalAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  const scale = 1 / Math.sqrt(q.shape[2]);
  const fn = (qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor, save: tf.GradSaveFunc) => {
    const queries = tf.transpose(tf.mul(qs, scale), [0, 2, 1]) as tf.Tensor3D;
    const keys = tf.transpose(ks, [2, 1, 0]) as tf.Tensor3D;
    // probs [query, channel, key]
    const probs = tf.softmax(tf.add(channelMatMul(queries, keys), mask)) as tf.Tensor3D;
    save([qs, ks, vs, probs]);
    return {
      value: channelMatMul(tf.transpose(probs, [0, 2, 1]), vs as tf.Tensor3D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, p] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
        const dOut = dy as tf.Tensor3D;
        const dV = channelMatMul(tf.transpose(p, [2, 0, 1]), dOut);
        const dP = channelMatMul(tf.transpose(dOut, [0, 2, 1]), tf.transpose(sv, [2, 1, 0]));
        const dS = tf.mul(tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), 2, true))), scale) as tf.Tensor3D;
        const dQ = channelMatMul(tf.transpose(dS, [0, 2, 1]), sk);
        const dK = channelMatMul(tf.transpose(dS, [2, 0, 1]), sq);
        return [dQ, dK, dV];
      },
    };
  };
  return tf.customGrad(fn as unknown as GradientFunction)(q, k, v) as tf.Tensor3D;
}

/** The additive causal mask [seq, 1, seq]: 0 where key ≤ query, −1e9 above the diagonal. */
export function causalMask(seq: number): tf.Tensor3D {
  const data = new Float32Array(seq * seq);
  for (let i = 0; i < seq; i++) for (let j = i + 1; j < seq; j++) data[i * seq + j] = -1e9;
  return tf.tensor3d(data, [seq, 1, seq]);
}
