/**
 * Starts the compute engine once per thread. tfjs stays the tensor runtime everywhere: tfjs-node(-gpu) for the
 * `tensorflow` engine, WebAssembly otherwise (never the pure-JS cpu backend, which is tens of times slower). With the
 * `onnxruntime` engine the forward pass's dense products run on ONNX Runtime (`denseProducts()`).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendPreference, Engine } from "./backend-preference.js";
import type { DenseProducts } from "./dense/dense-products.js";
import { tfjsDense } from "./dense/tfjs-dense.js";
import { measureEngines } from "./engine-measure.js";
import { denseFor, startTfjs } from "./engine-start.js";

export { BACKEND_PREFERENCES, type BackendPreference, ENGINES, type Engine } from "./backend-preference.js";
export { chooseEngine, type EngineChoice } from "./engine-choice.js";
export type { EngineMeasurement } from "./engine-measure.js";

let chosen: Promise<Engine> | null = null;
let dense: DenseProducts = tfjsDense;

async function start(prefer: BackendPreference): Promise<Engine> {
  const engine = prefer === "auto" ? (await measureEngines()).engine : prefer;
  try {
    await startTfjs(engine);
    dense = denseFor(engine);
  } catch (error) {
    throw new Error(
      `The compute engine "${engine}" could not start: ${(error as Error).message} ` +
        "Reinstall dependencies with `npm ci`, or choose another engine (INTERLACE_BACKEND=wasm).",
    );
  }
  process.stderr.write(`interlace: compute engine ${engine} (tfjs ${tf.getBackend()})\n`);
  return engine;
}

/**
 * Starts the engine `prefer` names (the app's configured preference, `auto` already resolved by `chooseEngine` where
 * the app has a home to cache it in; an unresolved `auto` is measured here) and returns the engine. Safe to call many
 * times: the first call in a thread decides, later calls return the same answer.
 */
export function initBackend(prefer: BackendPreference): Promise<Engine> {
  if (chosen === null) {
    chosen = start(prefer).catch((error: unknown) => {
      chosen = null;
      throw error;
    });
  }
  return chosen;
}

/** The dense products of the engine this thread started (tfjs until `initBackend` picks another). */
export function denseProducts(): DenseProducts {
  return dense;
}
