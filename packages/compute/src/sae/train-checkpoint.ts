/**
 * SAE training checkpoints: parameters, Adam moments, dead-latent counters, the input scale and the row source's
 * position, so a resumed run continues bit for bit. Written through train/checkpoint.ts (atomic safetensors).
 */
import type { AdamState } from "../train/adam.js";
import { readCheckpoint, writeCheckpoint } from "../train/checkpoint.js";
import type { DeadLatentState } from "./dead-latents.js";
import type { EngineSnapshot } from "./train-engine.js";
import type { SaeWeights } from "./types.js";

export interface SaeTrainingState {
  architecture: string;
  /** Steps completed. */
  step: number;
  normScale: number;
  /** Latents re-initialised so far. */
  resampled: number;
  dead: DeadLatentState;
  /** The row source's position, when it can be resumed. */
  source?: unknown;
}

export interface SaeCheckpoint extends SaeTrainingState {
  weights: SaeWeights;
  adam: AdamState;
}

export function writeSaeCheckpoint(dir: string, snapshot: EngineSnapshot, state: SaeTrainingState): void {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, p] of Object.entries(snapshot.params)) {
    tensors[`param.${name}`] = p;
    tensors[`adam_m.${name}`] = { shape: p.shape, data: snapshot.adam.m[name]! };
    tensors[`adam_v.${name}`] = { shape: p.shape, data: snapshot.adam.v[name]! };
  }
  const { since_fired, window_firing } = state.dead.tensors;
  tensors["since_fired"] = { shape: [since_fired.length], data: since_fired };
  tensors["window_firing"] = { shape: [window_firing.length], data: window_firing };
  writeCheckpoint(dir, {
    tensors,
    state: {
      windowSteps: state.dead.windowSteps,
      step: state.step,
      adamStep: snapshot.adam.step,
      normScale: state.normScale,
      deadFraction: state.dead.deadFraction,
      resampled: state.resampled,
      architecture: state.architecture,
      ...(state.source !== undefined ? { source: state.source } : {}),
    },
  });
}

/** Reads the checkpoint in `dir` of an SAE of `architecture` whose parameters are `params`. */
export function readSaeCheckpoint(dir: string, architecture: string, params: readonly string[]): SaeCheckpoint {
  const { tensors, state } = readCheckpoint(dir);
  if (state["architecture"] !== architecture) {
    throw new Error(
      `the checkpoint in ${dir} is of a "${String(state["architecture"])}" SAE, not "${architecture}"; resume with its architecture or start without resume.`,
    );
  }
  const weights: Record<string, Float32Array> = {};
  const adam: AdamState = { step: state["adamStep"] as number, m: {}, v: {} };
  for (const name of params) {
    const [p, m, v] = ["param", "adam_m", "adam_v"].map((kind) => tensors[`${kind}.${name}`]);
    if (!p) throw new Error(`checkpoint lacks parameter ${name}; it was written by another architecture.`);
    if (!m || !v) throw new Error(`the checkpoint in ${dir} lacks Adam moments for ${name}; it is incomplete.`);
    weights[name] = p.data;
    adam.m[name] = m.data;
    adam.v[name] = v.data;
  }
  return {
    architecture,
    step: state["step"] as number,
    normScale: state["normScale"] as number,
    resampled: (state["resampled"] as number | undefined) ?? 0,
    dead: {
      tensors: {
        since_fired: tensors["since_fired"]?.data ?? new Float32Array(0),
        window_firing: tensors["window_firing"]?.data ?? new Float32Array(0),
      },
      windowSteps: (state["windowSteps"] as number | undefined) ?? 0,
      deadFraction: (state["deadFraction"] as number | null | undefined) ?? null,
    },
    ...(state["source"] !== undefined ? { source: state["source"] } : {}),
    weights: weights as unknown as SaeWeights,
    adam,
  };
}
