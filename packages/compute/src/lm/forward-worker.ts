/** Worker side of ForwardPool: loads the model once, then answers forward requests with host arrays. */
import * as tf from "@tensorflow/tfjs";
import { serveWorker } from "../workers/serve-worker.js";
import { loadModel } from "./load-model.js";

export interface ForwardWorkerData {
  dir: string;
  name: string;
}

export interface WorkerRequest {
  id: number;
  ids: number[][];
  hooks: string[];
  logits: boolean;
  stopAtLayer?: number;
}

export type WorkerReply =
  | { id: number; logits: Float32Array | null; hooks: Record<string, Float32Array> }
  | { id: number; error: string };

await serveWorker<ForwardWorkerData>(async ({ dir, name }, port, backend) => {
  const model = await loadModel(dir, { name, backend });
  port.on("message", (request: WorkerRequest) => {
    try {
      const out = model.forward(request.ids, {
        hooks: request.hooks,
        logits: request.logits,
        ...(request.stopAtLayer === undefined ? {} : { stopAtLayer: request.stopAtLayer }),
      });
      const logits = out.logits ? (out.logits.dataSync() as Float32Array) : null;
      const hooks = Object.fromEntries(Object.entries(out.hooks).map(([k, t]) => [k, t.dataSync() as Float32Array]));
      tf.dispose([...(out.logits ? [out.logits] : []), ...Object.values(out.hooks)]);
      const buffers = [logits, ...Object.values(hooks)].filter((a) => a !== null).map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ id: request.id, logits, hooks } satisfies WorkerReply, buffers);
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message } satisfies WorkerReply);
    }
  });
});
