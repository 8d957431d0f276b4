/**
 * Measures each installed engine on the product that dominates a forward pass — a linear layer with bias, x [1024,
 * 256] · W [256, 1024], tfjs tensors in and out (so host copies count) — and names the fastest.
 */
import { cpus } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { ENGINES, type Engine } from "./backend-preference.js";
import { onnxRuntimeVersion } from "./dense/onnx-dense.js";
import { denseFor, onnxThreads, startTfjs } from "./engine-start.js";

const ROWS = 1024;
const D_IN = 256;
const D_OUT = 1024;
const WARMUP = 2;
const RUNS = 7;

export interface EngineMeasurement {
  /** The fastest engine measured. */
  engine: Engine;
  /** GFLOP/s of the product on each engine that started. */
  gflops: Partial<Record<Engine, number>>;
  /** Why each engine that did not start could not. */
  unavailable: Partial<Record<Engine, string>>;
  /** CPU, core count, platform, Node and onnxruntime versions: a cached measurement holds only where these match. */
  machine: string;
  /** ONNX Runtime threads the measurement used on this thread. */
  onnxThreads: number;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** What a measurement depends on; a cached one is reused only on a machine with the same description. */
export function machineDescription(): string {
  const cores = cpus();
  const onnx = onnxRuntimeVersion();
  return `${cores[0]?.model.trim() ?? "unknown CPU"} ×${cores.length}, ${process.platform}-${process.arch}, node ${process.version}, onnxruntime-node ${onnx ?? "absent"}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** GFLOP/s of the reference product on `engine`, which must have started on this thread. */
function productGflops(engine: Engine): number {
  const dense = denseFor(engine);
  const [x, w, b] = tf.tidy(() => [
    tf.randomUniform([ROWS, D_IN], -1, 1, "float32", 1) as tf.Tensor2D,
    tf.randomUniform([D_IN, D_OUT], -1, 1, "float32", 2) as tf.Tensor2D,
    tf.randomUniform([D_OUT], -1, 1, "float32", 3) as tf.Tensor1D,
  ]);
  const once = () => {
    const begin = performance.now();
    const y = dense.linear(x, w, b);
    y.dataSync();
    y.dispose();
    return (performance.now() - begin) / 1000;
  };
  try {
    for (let i = 0; i < WARMUP; i++) once();
    const seconds = median(Array.from({ length: RUNS }, once));
    return (2 * ROWS * D_IN * D_OUT) / seconds / 1e9;
  } finally {
    dense.release([w]);
    tf.dispose([x, w, b]);
  }
}

/** Starts every engine in turn on this thread and measures it; the caller then starts the engine it wants. */
export async function measureEngines(): Promise<EngineMeasurement> {
  const gflops: Partial<Record<Engine, number>> = {};
  const unavailable: Partial<Record<Engine, string>> = {};
  for (const engine of ENGINES) {
    try {
      await startTfjs(engine);
      gflops[engine] = Number(productGflops(engine).toFixed(1));
    } catch (error) {
      unavailable[engine] = (error as Error).message;
    }
  }
  const ranked = ENGINES.filter((e) => gflops[e] !== undefined).sort((a, b) => gflops[b]! - gflops[a]!);
  const engine = ranked[0];
  if (engine === undefined) {
    throw new Error(
      `No compute engine could start (${Object.entries(unavailable)
        .map(([e, why]) => `${e}: ${why}`)
        .join("; ")}). Reinstall dependencies with \`npm ci\`.`,
    );
  }
  return {
    engine,
    gflops,
    unavailable,
    machine: machineDescription(),
    onnxThreads: onnxThreads(),
    measuredAt: new Date().toISOString(),
  };
}
