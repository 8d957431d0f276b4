/**
 * Adam over named tfjs variables, with the learning rate given per step (so any schedule can drive it) and a state
 * that can be exported and restored for checkpoints. Updates run inside tf.tidy; moments are kept as variables.
 */
import * as tf from "@tensorflow/tfjs";

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface AdamState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class Adam {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  constructor(
    private readonly params: Readonly<Record<string, tf.Variable>>,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    for (const [name, p] of Object.entries(params)) {
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  get stepCount(): number {
    return this.t;
  }

  /** One update. `grads` maps parameter names to gradients (missing names are left untouched); `scale` multiplies
   *  every gradient first (gradient clipping). The caller keeps ownership of `grads`. */
  apply(grads: Readonly<Record<string, tf.Tensor>>, lr: number, scale: number | tf.Scalar = 1): void {
    this.t++;
    const correction = (lr * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    tf.tidy(() => {
      for (const [name, grad] of Object.entries(grads)) {
        const p = this.params[name];
        const m = this.m.get(name);
        const v = this.v.get(name);
        if (!p || !m || !v) throw new Error(`Adam: no parameter named "${name}"; pass gradients for registered names.`);
        const g = scale === 1 ? grad : tf.mul(grad, scale);
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.epsilon)), correction)));
      }
    });
  }

  /** Resets the moments of selected rows of a parameter (used when a dead latent is re-initialised). */
  resetRows(name: string, rows: readonly number[]): void {
    const m = this.m.get(name);
    const v = this.v.get(name);
    if (!m || !v || rows.length === 0) return;
    tf.tidy(() => {
      const n = m.shape[0]!;
      const keep = new Float32Array(n).fill(1);
      for (const r of rows) keep[r] = 0;
      const mask = tf.tensor(keep, [n, ...m.shape.slice(1).map(() => 1)]);
      m.assign(tf.mul(m, mask));
      v.assign(tf.mul(v, mask));
    });
  }

  exportState(): AdamState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const [name, t] of this.m) m[name] = t.dataSync() as Float32Array;
    for (const [name, t] of this.v) v[name] = t.dataSync() as Float32Array;
    return { step: this.t, m, v };
  }

  importState(state: AdamState): void {
    this.t = state.step;
    for (const [name, t] of this.m) {
      const data = state.m[name];
      const vData = state.v[name];
      if (!data || !vData) throw new Error(`Adam state lacks moments for "${name}"; the checkpoint is incomplete.`);
      tf.tidy(() => {
        t.assign(tf.tensor(data, t.shape));
        this.v.get(name)!.assign(tf.tensor(vData, t.shape));
      });
    }
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
