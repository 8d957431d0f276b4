/**
 * Runs forward passes on several worker threads, one model copy and one single-threaded wasm backend each, splitting
 * the batch rows between them: the way to use every core for bulk work such as harvesting activations.
 * Read hooks only (write hooks are functions and cannot cross threads); results come back as host arrays.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { BackendPreference } from "../backend-preference.js";
import { concatFloat32 } from "../io/concat.js";
import { startWorkers, workerEntry } from "../workers/start-workers.js";
import type { ForwardWorkerData, WorkerReply, WorkerRequest } from "./forward-worker.js";

export interface PoolForwardOptions {
  hooks?: readonly string[];
  /** Return logits (default true). */
  logits?: boolean;
  stopAtLayer?: number;
}

export interface HostForwardResult {
  batch: number;
  seq: number;
  /** [batch, seq, vocab] row-major, when requested. */
  logits: Float32Array | null;
  /** One [batch, seq, d] row-major array per read hook. */
  hooks: Record<string, Float32Array>;
}

export interface ForwardPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  workers?: number;
  /** Display name passed to each worker's model. */
  name?: string;
  /** The backend preference every worker starts (the app's configured one). */
  backend: BackendPreference;
}

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

export class ForwardPool {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly workers: Worker[],
    /** The compute engine each worker runs, in worker order. */
    readonly backends: readonly string[],
  ) {
    for (const worker of workers) {
      worker.on("message", (reply: WorkerReply) => {
        this.pending.get(reply.id)?.resolve(reply);
        this.pending.delete(reply.id);
      });
      worker.on("error", (error) => this.failAll(error));
      worker.on("exit", (code) => this.failAll(new Error(`a forward worker exited (code ${code}).`)));
    }
  }

  /** Starts the workers and loads the model in `dir` in each. */
  static async open(dir: string, options: ForwardPoolOptions): Promise<ForwardPool> {
    const count = options.workers ?? availableParallelism();
    if (!Number.isInteger(count) || count < 1) throw new Error(`ForwardPool: workers must be ≥ 1, got ${count}.`);
    const data: ForwardWorkerData = { dir, name: options.name ?? dir };
    const { workers, backends } = await startWorkers(
      workerEntry(import.meta.url, "forward-worker"),
      { count, backend: options.backend },
      data,
      (reason) => new Error(reason),
    );
    return new ForwardPool(workers, backends);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  get size(): number {
    return this.workers.length;
  }

  private ask(worker: Worker, request: Omit<WorkerRequest, "id">): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  /** Forward pass over ids [batch][seq]; rows are split across the workers and the results joined in order. */
  async forward(ids: readonly (readonly number[])[], options: PoolForwardOptions = {}): Promise<HostForwardResult> {
    const seq = ids[0]?.length ?? 0;
    const share = Math.ceil(ids.length / this.workers.length);
    const chunks = this.workers
      .map((worker, i) => ({ worker, rows: ids.slice(i * share, (i + 1) * share).map((r) => [...r]) }))
      .filter((c) => c.rows.length > 0);
    const hooks = [...(options.hooks ?? [])];
    const replies = await Promise.all(
      chunks.map(({ worker, rows }) =>
        this.ask(worker, {
          ids: rows,
          hooks,
          logits: options.logits !== false,
          ...(options.stopAtLayer === undefined ? {} : { stopAtLayer: options.stopAtLayer }),
        }),
      ),
    );
    const ok = replies.map((reply) => {
      if ("error" in reply) throw new Error(reply.error);
      return reply;
    });
    const logits = ok.every((r) => r.logits) ? concatFloat32(ok.map((r) => r.logits!)) : null;
    const joined = Object.fromEntries(hooks.map((h) => [h, concatFloat32(ok.map((r) => r.hooks[h]!))]));
    return { batch: ids.length, seq, logits, hooks: joined };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
