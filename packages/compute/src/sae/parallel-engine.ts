/**
 * Data-parallel SAE training over worker threads (tfjs-wasm runs one thread per worker). Each step the batch is
 * split by rows, every worker returns the gradient of its share, and the main thread averages them (weighted by
 * rows), so the update equals the full-batch gradient; every worker then applies the same Adam step to its replica.
 */
import type { Worker } from "node:worker_threads";
import type { AdamState } from "../train/adam.js";
import { startWorkers, type WorkerThreads, workerEntry } from "../workers/start-workers.js";
import type { TrainerInit } from "./architecture.js";
import {
  type EngineSnapshot,
  type HostCoefficients,
  reportOf,
  type StepReport,
  type TrainEngine,
} from "./train-engine.js";
import type { TrainWorkerData, TrainWorkerReply, TrainWorkerRequest } from "./train-worker.js";

type Request = TrainWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

export class ParallelEngine implements TrainEngine {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: TrainWorkerReply) => void; reject: (e: Error) => void }>();
  private averaged: Float32Array | null = null;

  private constructor(
    private readonly workers: Worker[],
    private readonly d: number,
  ) {
    for (const worker of workers) {
      worker.on("message", (reply: TrainWorkerReply) => {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!waiting) return;
        if ("error" in reply) waiting.reject(new Error(`SAE training worker: ${reply.error}`));
        else waiting.resolve(reply);
      });
      worker.on("error", (error) => this.failAll(error));
    }
  }

  static async open(
    architecture: string,
    init: TrainerInit,
    threads: WorkerThreads,
    adam?: AdamState,
  ): Promise<ParallelEngine> {
    const { count } = threads;
    if (!Number.isInteger(count) || count < 2) throw new Error(`ParallelEngine needs ≥ 2 workers, got ${count}.`);
    const data: TrainWorkerData = { architecture, init, ...(adam ? { adam } : {}) };
    const { workers } = await startWorkers(
      workerEntry(import.meta.url, "train-worker"),
      threads,
      data,
      (reason) => new Error(`SAE training worker failed to start: ${reason}`),
    );
    return new ParallelEngine(workers, init.cfg.d_in);
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private ask(worker: Worker, request: Request, transfer: ArrayBuffer[] = []): Promise<TrainWorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  async compute(batch: Float32Array, rows: number, coefficients: HostCoefficients): Promise<StepReport> {
    const n = this.workers.length;
    const shares = Array.from({ length: n }, (_, i) => Math.floor((rows * (i + 1)) / n) - Math.floor((rows * i) / n));
    let start = 0;
    const replies = await Promise.all(
      this.workers.map((worker, i) => {
        const share = batch.slice(start * this.d, (start + shares[i]!) * this.d);
        start += shares[i]!;
        return this.ask(worker, { type: "compute", batch: share, rows: shares[i]!, coefficients }, [
          share.buffer as ArrayBuffer,
        ]);
      }),
    );
    const parts = replies as { values: Float32Array; grads: Float32Array }[];
    const first = parts[0]!;
    const grads = new Float32Array(first.grads.length);
    const values = new Float32Array(first.values.length);
    parts.forEach((part, i) => {
      const w = shares[i]! / rows;
      for (let j = 0; j < grads.length; j++) grads[j]! += w * part.grads[j]!;
      for (let j = 0; j < 3; j++) values[j]! += w * part.values[j]!;
      for (let j = 4; j < values.length; j++) values[j]! += part.values[j]!;
    });
    let sq = 0;
    for (let j = 0; j < grads.length; j++) sq += grads[j]! * grads[j]!;
    values[3] = Math.sqrt(sq);
    this.averaged = grads;
    return reportOf(values);
  }

  async apply(lr: number, scale: number): Promise<void> {
    const grads = this.averaged;
    if (!grads) throw new Error("no pending gradients: compute a batch first.");
    this.averaged = null;
    await Promise.all(this.workers.map((worker) => this.ask(worker, { type: "apply", grads, lr, scale })));
  }

  async discard(): Promise<void> {
    this.averaged = null;
  }

  async snapshot(): Promise<EngineSnapshot> {
    const reply = (await this.ask(this.workers[0]!, { type: "snapshot" })) as { snapshot: EngineSnapshot };
    return reply.snapshot;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
