/**
 * Dead-latent bookkeeping of SAE training: how many steps each latent has gone without firing, and the fraction of
 * latents that fired on no row of the last completed window of steps. Architectures use it as their remedy needs:
 * TopK's aux-k takes the mask of latents silent for a whole window, resampling re-initialises long-silent ones.
 */

/** No latent counts as dead (architectures without an aux-k loss). */
export const NO_DEAD_MASK = { dead: null, deadCount: 0 } as const;

export interface DeadLatentState {
  tensors: { since_fired: Float32Array; window_firing: Float32Array };
  windowSteps: number;
  deadFraction: number | null;
}

export class DeadLatents {
  private readonly sinceFired: Float64Array;
  private readonly windowFiring: Float64Array;
  private windowSteps = 0;
  /** Fraction of latents that fired on no row of the last completed window (null before one completes). */
  deadFraction: number | null = null;

  constructor(
    private readonly latents: number,
    /** Steps per window. */
    private readonly window: number,
  ) {
    this.sinceFired = new Float64Array(latents);
    this.windowFiring = new Float64Array(latents);
  }

  /** Records one step's firing counts (rows of the batch on which each latent fired). */
  record(firing: Float32Array): void {
    for (let i = 0; i < this.latents; i++) {
      const fired = firing[i]!;
      this.windowFiring[i]! += fired;
      this.sinceFired[i] = fired > 0 ? 0 : this.sinceFired[i]! + 1;
    }
    this.windowSteps++;
    if (this.windowSteps === this.window) {
      let dead = 0;
      for (let i = 0; i < this.latents; i++) if (this.windowFiring[i] === 0) dead++;
      this.deadFraction = dead / this.latents;
      this.windowFiring.fill(0);
      this.windowSteps = 0;
    }
  }

  /** 1 for each latent silent for at least a whole window, with their count (the aux-k input). */
  mask(): { dead: Float32Array; deadCount: number } {
    const dead = Float32Array.from(this.sinceFired, (s) => (s >= this.window ? 1 : 0));
    return { dead, deadCount: dead.reduce((n, v) => n + v, 0) };
  }

  /** The latents silent for at least `steps` steps. */
  silentFor(steps: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.latents; i++) if (this.sinceFired[i]! >= steps) out.push(i);
    return out;
  }

  /** Counts `latents` as having just fired (after they were re-initialised). */
  revive(latents: readonly number[]): void {
    for (const i of latents) this.sinceFired[i] = 0;
  }

  exportState(): DeadLatentState {
    return {
      tensors: { since_fired: Float32Array.from(this.sinceFired), window_firing: Float32Array.from(this.windowFiring) },
      windowSteps: this.windowSteps,
      deadFraction: this.deadFraction,
    };
  }

  importState(state: DeadLatentState): void {
    this.sinceFired.set(state.tensors.since_fired);
    this.windowFiring.set(state.tensors.window_firing);
    this.windowSteps = state.windowSteps;
    this.deadFraction = state.deadFraction;
  }
}
