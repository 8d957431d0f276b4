/**
 * A data-parallel SAE training worker: holds a replica of the trainer and Adam, computes gradients on its share
 * of each batch, and applies the averaged gradient the main thread sends back, so every replica stays identical.
 */
import type { AdamState } from "../train/adam.js";
import { serveWorker } from "../workers/serve-worker.js";
import type { TrainerInit } from "./architecture.js";
import type { HostCoefficients } from "./train-engine.js";

export interface TrainWorkerData {
  architecture: string;
  init: TrainerInit;
  adam?: AdamState;
}

export type TrainWorkerRequest =
  | { id: number; type: "compute"; batch: Float32Array; rows: number; coefficients: HostCoefficients }
  | { id: number; type: "apply"; grads: Float32Array; lr: number; scale: number }
  | { id: number; type: "discard" }
  | { id: number; type: "snapshot" };

export type TrainWorkerReply =
  | { id: number; values: Float32Array; grads: Float32Array }
  | { id: number; snapshot: unknown }
  | { id: number; done: true }
  | { id: number; error: string };

await serveWorker<TrainWorkerData>(async (data, port) => {
  const { saeArchitectures } = await import("./architectures.js");
  const { StepRunner } = await import("./train-engine.js");
  const runner = new StepRunner(saeArchitectures.get(data.architecture), data.init, data.adam);
  const d = data.init.cfg.d_in;
  port.on("message", (request: TrainWorkerRequest) => {
    try {
      if (request.type === "compute") {
        const values = runner.compute(request.batch, request.rows, d, request.coefficients);
        const grads = runner.packedGradients();
        runner.drop();
        port.postMessage({ id: request.id, values, grads }, [grads.buffer as ArrayBuffer]);
      } else if (request.type === "apply") {
        runner.setPackedGradients(request.grads);
        runner.apply(request.lr, request.scale);
        port.postMessage({ id: request.id, done: true });
      } else if (request.type === "discard") {
        runner.drop();
        port.postMessage({ id: request.id, done: true });
      } else {
        port.postMessage({ id: request.id, snapshot: runner.snapshot() });
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message });
    }
  });
});
