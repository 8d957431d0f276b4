/** How each engine starts on a thread: the tfjs backend it runs on and its dense products. */
import { availableParallelism } from "node:os";
import { isMainThread } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import type { Engine } from "./backend-preference.js";
import type { DenseProducts } from "./dense/dense-products.js";
import { onnxDense } from "./dense/onnx-dense.js";
import { tfjsDense } from "./dense/tfjs-dense.js";

/** ONNX Runtime threads of this thread: all cores on the main thread, one inside each worker of a pool. */
export function onnxThreads(): number {
  return isMainThread ? availableParallelism() : 1;
}

/** Starts the tfjs backend an engine runs on; throws (with the reason) when the engine cannot start here. */
export async function startTfjs(engine: Engine): Promise<void> {
  if (engine === "tensorflow") {
    let loaded = false;
    for (const name of ["tfjs-node-gpu", "tfjs-node"]) {
      loaded = await import(`@tensorflow/${name}`).then(
        () => true,
        () => false,
      );
      if (loaded) break;
    }
    if (!loaded || !(await tf.setBackend("tensorflow"))) {
      throw new Error(
        "the tensorflow engine needs @tensorflow/tfjs-node or tfjs-node-gpu, which is not installed or does not load here.",
      );
    }
  } else {
    await import("@tensorflow/tfjs-backend-wasm");
    if (!(await tf.setBackend("wasm"))) throw new Error("the tfjs wasm backend did not start.");
  }
  await tf.ready();
}

/** The dense products of an engine on this thread. */
export function denseFor(engine: Engine): DenseProducts {
  return engine === "onnxruntime" ? onnxDense(onnxThreads()) : tfjsDense;
}
