/**
 * Where SAE training steps run: in this thread (LocalEngine) or split over worker threads (ParallelEngine, in
 * parallel-engine.ts). The training loop talks to either through host arrays only.
 */
import * as tf from "@tensorflow/tfjs";
import { concatFloat32 } from "../io/concat.js";
import { Adam, type AdamState } from "../train/adam.js";
import { globalNorm } from "../train/clip.js";
import type { ArchitectureTrainer, SaeArchitecture, TrainerInit } from "./architecture.js";

export interface HostCoefficients {
  l1: number;
  /** Dead-latent mask (1 dead) for aux-k, or null. */
  dead: Float32Array | null;
  deadCount: number;
}

export interface StepReport {
  mse: number;
  aux: number;
  l0: number;
  /** Global norm of the batch gradient. */
  gradNorm: number;
  /** Rows of the batch on which each latent fired. */
  firing: Float32Array;
}

export interface EngineSnapshot {
  params: Record<string, { shape: number[]; data: Float32Array }>;
  adam: AdamState;
}

export interface TrainEngine {
  /** Loss parts and gradients of a batch [rows·d_in] (already normalised); gradients stay pending. */
  compute(batch: Float32Array, rows: number, coefficients: HostCoefficients): Promise<StepReport>;
  /** Adam update with the pending gradients times `scale`. */
  apply(lr: number, scale: number): Promise<void>;
  /** Drops the pending gradients. */
  discard(): Promise<void>;
  snapshot(): Promise<EngineSnapshot>;
  dispose(): Promise<void>;
}

/** Trainer + Adam in one thread; shared by LocalEngine and each worker of the ParallelEngine. */
export class StepRunner {
  readonly trainer: ArchitectureTrainer;
  readonly adam: Adam;
  private pending: Record<string, tf.Tensor> | null = null;

  constructor(arch: SaeArchitecture, init: TrainerInit, adamState?: AdamState) {
    if (!arch.training)
      throw new Error(`SAE architecture "${arch.architecture}" is inference-only; it cannot be trained.`);
    this.trainer = arch.training.createTrainer(init);
    this.adam = new Adam(this.trainer.params);
    if (adamState) this.adam.importState(adamState);
  }

  get names(): string[] {
    return Object.keys(this.trainer.params);
  }

  /** Runs the batch; keeps the gradients pending and returns [mse, aux, l0, ‖g‖, firing…] on the host. */
  compute(batch: Float32Array, rows: number, d: number, c: HostCoefficients): Float32Array {
    this.drop();
    const x = tf.tensor2d(batch, [rows, d]);
    const deadMask = c.dead ? tf.tensor1d(c.dead) : undefined;
    const result = this.trainer.step(x, { l1: c.l1, ...(deadMask ? { deadMask, deadCount: c.deadCount } : {}) });
    const norm = globalNorm(result.grads);
    const packed = tf.tidy(() => tf.concat([result.stats, norm.reshape([1]), result.firing]));
    const values = packed.dataSync() as Float32Array;
    tf.dispose([x, norm, packed, result.stats, result.firing, ...(deadMask ? [deadMask] : [])]);
    this.pending = result.grads;
    return values;
  }

  /** The pending gradients concatenated in parameter order. */
  packedGradients(): Float32Array {
    if (!this.pending) throw new Error("no pending gradients: compute a batch first.");
    const parts = this.names.map((n) => this.pending![n]!.dataSync() as Float32Array);
    return concatFloat32(parts);
  }

  /** Replaces the pending gradients by packed ones (e.g. averaged over workers). */
  setPackedGradients(packed: Float32Array): void {
    this.drop();
    const grads: Record<string, tf.Tensor> = {};
    let at = 0;
    for (const name of this.names) {
      const p = this.trainer.params[name]!;
      grads[name] = tf.tensor(packed.subarray(at, at + p.size), p.shape);
      at += p.size;
    }
    this.pending = grads;
  }

  apply(lr: number, scale: number): void {
    if (!this.pending) throw new Error("no pending gradients: compute a batch first.");
    this.adam.apply(this.pending, lr, scale);
    this.drop();
    this.trainer.afterUpdate?.();
  }

  drop(): void {
    if (this.pending) tf.dispose(Object.values(this.pending));
    this.pending = null;
  }

  snapshot(): EngineSnapshot {
    const params: EngineSnapshot["params"] = {};
    for (const [name, v] of Object.entries(this.trainer.params)) {
      params[name] = { shape: v.shape, data: v.dataSync() as Float32Array };
    }
    return { params, adam: this.adam.exportState() };
  }

  dispose(): void {
    this.drop();
    this.adam.dispose();
    this.trainer.dispose();
  }
}

export function reportOf(values: Float32Array): StepReport {
  return { mse: values[0]!, aux: values[1]!, l0: values[2]!, gradNorm: values[3]!, firing: values.subarray(4) };
}

export class LocalEngine implements TrainEngine {
  private readonly runner: StepRunner;

  constructor(
    arch: SaeArchitecture,
    private readonly init: TrainerInit,
    adamState?: AdamState,
  ) {
    this.runner = new StepRunner(arch, init, adamState);
  }

  async compute(batch: Float32Array, rows: number, c: HostCoefficients): Promise<StepReport> {
    return reportOf(this.runner.compute(batch, rows, this.init.cfg.d_in, c));
  }

  async apply(lr: number, scale: number): Promise<void> {
    this.runner.apply(lr, scale);
  }

  async discard(): Promise<void> {
    this.runner.drop();
  }

  async snapshot(): Promise<EngineSnapshot> {
    return this.runner.snapshot();
  }

  async dispose(): Promise<void> {
    this.runner.dispose();
  }
}
