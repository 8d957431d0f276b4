/**
 * Dense products on ONNX Runtime (the onnxruntime-node package, whose CPU binary ships inside the package). Its MLAS
 * kernels run these products several times faster than tfjs-wasm on the same core. The forward pass is synchronous,
 * so this calls the package's synchronous native session (what its async `InferenceSession.run` wraps); the package
 * version is pinned and `onnxRuntime()` fails with a clear message if that binding is missing.
 */
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import type { DenseProducts } from "./dense-products.js";
import { attentionModel, linearModel, mlpModel, productModel } from "./onnx-graph.js";

interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

type OrtTensorConstructor = new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;

interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: object): Record<string, OrtTensor>;
  dispose(): void;
}

interface OnnxRuntime {
  version: string;
  Tensor: OrtTensorConstructor;
  newSession(model: Uint8Array, threads: number): NativeSession;
}

let runtime: OnnxRuntime | null = null;

/** Loads onnxruntime-node once per thread; throws (with the fix) when it is not installed or does not load here. */
export function onnxRuntime(): OnnxRuntime {
  if (runtime) return runtime;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve("onnxruntime-node");
  } catch {
    throw new Error(
      "onnxruntime-node is not installed; run `npm ci`, or choose another engine (INTERLACE_BACKEND=wasm).",
    );
  }
  const local = createRequire(entry);
  const { binding, initOrt } = local("./binding.js") as {
    binding?: { InferenceSession?: new () => NativeSession };
    initOrt?: () => void;
  };
  const { Tensor } = local("onnxruntime-common") as { Tensor: OrtTensorConstructor };
  const Session = binding?.InferenceSession;
  if (!Session || !initOrt) {
    throw new Error(
      "onnxruntime-node has no synchronous native session at dist/binding.js; install the version package-lock.json pins with `npm ci`.",
    );
  }
  initOrt();
  const { version } = local("../package.json") as { version: string };
  runtime = {
    version,
    Tensor,
    newSession(model, threads) {
      const session = new Session();
      session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
        // Idle threads sleep instead of spinning: on a machine shared with other work, spinning threads starve it.
        extra: { session: { intra_op: { allow_spinning: "0" } } },
      });
      return session;
    },
  };
  return runtime;
}

/** The float32 values of a tensor on the host (tfjs-wasm hands out a copy of its heap). */
function host(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** Dense products on ONNX Runtime with `threads` intra-op threads (1 inside each worker of a pool). */
export function onnxDense(threads: number): DenseProducts {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`onnxDense: threads must be ≥ 1, got ${threads}.`);
  const ort = onnxRuntime();
  const linears = new WeakMap<tf.Tensor, { bias: tf.Tensor | null; session: NativeSession }>();
  const attentions = new Map<string, NativeSession>();
  const mlps = new WeakMap<tf.Tensor, NativeSession>();
  let products: NativeSession | null = null;
  const run = (session: NativeSession, feeds: Record<string, OrtTensor>) => {
    const y = session.run(feeds, { y: null }, {})["y"];
    if (!y) throw new Error("onnxruntime returned no output y.");
    return y;
  };
  return {
    engine: "onnxruntime",
    linear(x, weight, bias) {
      let entry = linears.get(weight);
      if (!entry || entry.bias !== bias) {
        entry?.session.dispose();
        const [dIn, dOut] = weight.shape;
        entry = {
          bias,
          session: ort.newSession(linearModel(host(weight), dIn, dOut, bias ? host(bias) : null), threads),
        };
        linears.set(weight, entry);
      }
      const [rows, dIn] = x.shape;
      if (dIn !== weight.shape[0]) throw new Error(`linear: x has ${dIn} columns, the weight ${weight.shape[0]} rows.`);
      const y = run(entry.session, { x: new ort.Tensor("float32", host(x), [rows, dIn]) });
      return tf.tensor2d(y.data, [rows, weight.shape[1]]);
    },
    product(a, b) {
      const [rows, inner] = a.shape;
      const [bInner, out] = b.shape;
      if (inner !== bInner) throw new Error(`product: a has ${inner} columns, b ${bInner} rows.`);
      products ??= ort.newSession(productModel(), threads);
      const y = run(products, {
        a: new ort.Tensor("float32", host(a), [rows, inner]),
        b: new ort.Tensor("float32", host(b), [inner, out]),
      });
      return tf.tensor2d(y.data, [rows, out]);
    },
    attention(q, k, v, mask) {
      const [batch, seq, heads, headDim] = q.shape;
      const keys = k.shape[1];
      const shapeKey = `${heads}×${headDim}`;
      let session = attentions.get(shapeKey);
      if (!session) {
        session = ort.newSession(attentionModel(heads, headDim), threads);
        attentions.set(shapeKey, session);
      }
      const y = run(session, {
        q: new ort.Tensor("float32", host(q), q.shape),
        k: new ort.Tensor("float32", host(k), k.shape),
        v: new ort.Tensor("float32", host(v), v.shape),
        mask: new ort.Tensor("float32", host(mask), [seq, keys]),
      });
      return tf.tensor2d(y.data, [batch * seq, heads * headDim]);
    },
    mlp(x, w, activation) {
      let session = mlps.get(w.in);
      if (!session) {
        const [dModel, dMlp] = w.in.shape;
        const arrays = {
          dModel,
          dMlp,
          inWeight: host(w.in),
          inBias: w.inBias ? host(w.inBias) : null,
          gateWeight: w.gate ? host(w.gate) : null,
          gateBias: w.gateBias ? host(w.gateBias) : null,
          outWeight: host(w.out),
          outBias: w.outBias ? host(w.outBias) : null,
        };
        session = ort.newSession(mlpModel(arrays, activation), threads);
        mlps.set(w.in, session);
      }
      const [rows, dModel] = x.shape;
      const y = run(session, { x: new ort.Tensor("float32", host(x), [rows, dModel]) });
      return tf.tensor2d(y.data, [rows, dModel]);
    },
    release(weights) {
      for (const weight of weights) {
        linears.get(weight)?.session.dispose();
        linears.delete(weight);
        mlps.get(weight)?.dispose();
        mlps.delete(weight);
      }
    },
  };
}

/** The installed onnxruntime-node version, read from its package.json without loading the runtime; null if absent. */
export function onnxRuntimeVersion(): string | null {
  try {
    const local = createRequire(createRequire(import.meta.url).resolve("onnxruntime-node"));
    return (local("../package.json") as { version: string }).version;
  } catch {
    return null;
  }
}
