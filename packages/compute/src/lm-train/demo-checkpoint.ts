/**
 * Checkpoints of demo-model training: parameters, AdamW moments and the training position (step, data RNG, time
 * spent, loss curve) in the model's output folder, written through train/checkpoint.ts (atomic safetensors), so an
 * interrupted training resumes where it stopped.
 */
import type * as tf from "@tensorflow/tfjs";
import type { AdamState } from "../train/adam.js";
import { hasCheckpoint, identityDifferences, readCheckpoint, writeCheckpoint } from "../train/checkpoint.js";
import type { CurvePoint } from "./demo-config.js";

const KIND = "interlace-demo-model";

/** What must match for a checkpoint to be resumed: changing any of these would silently train another model. */
export interface DemoTrainingIdentity {
  corpus: string;
  merges: number;
  seed: number;
  size: { nLayers: number; dModel: number; nHeads: number; context: number };
  batchSize: number;
  lr: number;
  weightDecay: number;
  clipNorm: number;
  heldOutFraction: number;
  evalWindows: number;
  evalPoints: number;
  /** null: no step budget. */
  steps: number | null;
  /** null: no time budget. */
  minutes: number | null;
}

/** Where training stands after `step` steps. */
export interface DemoTrainingPosition {
  step: number;
  /** Milliseconds of training so far (a time budget counts them). */
  elapsedMs: number;
  /** State of the generator that draws the training windows. */
  rngState: number;
  curve: CurvePoint[];
  /** Training loss summed over the steps since the last curve point, and their count. */
  lossSum: number;
  lossCount: number;
  /** Index of the next curve point (1..evalPoints). */
  nextPoint: number;
}

export interface DemoCheckpoint {
  identity: DemoTrainingIdentity;
  position: DemoTrainingPosition;
  params: Record<string, Float32Array>;
  adam: AdamState;
}

export function writeDemoCheckpoint(
  dir: string,
  params: Readonly<Record<string, tf.Variable>>,
  adam: AdamState,
  identity: DemoTrainingIdentity,
  position: DemoTrainingPosition,
): void {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, variable] of Object.entries(params)) {
    tensors[`param.${name}`] = { shape: variable.shape, data: variable.dataSync() as Float32Array };
    tensors[`adam_m.${name}`] = { shape: variable.shape, data: adam.m[name]! };
    tensors[`adam_v.${name}`] = { shape: variable.shape, data: adam.v[name]! };
  }
  writeCheckpoint(dir, { tensors, state: { kind: KIND, identity, ...position, adamStep: adam.step } });
}

/** The checkpoint in `dir`, checked to hold every parameter in `names` with its moments. */
export function readDemoCheckpoint(dir: string, names: readonly string[]): DemoCheckpoint {
  const { tensors, state } = readCheckpoint(dir);
  if (state["kind"] !== KIND) {
    throw new Error(`the checkpoint in ${dir} is not a demo-model training checkpoint; remove it or pick another out.`);
  }
  const params: Record<string, Float32Array> = {};
  const adam: AdamState = { step: state["adamStep"] as number, m: {}, v: {} };
  for (const name of names) {
    const [p, m, v] = ["param", "adam_m", "adam_v"].map((kind) => tensors[`${kind}.${name}`]);
    if (!p || !m || !v) throw new Error(`the checkpoint in ${dir} lacks ${name} or its moments; it is incomplete.`);
    params[name] = p.data;
    adam.m[name] = m.data;
    adam.v[name] = v.data;
  }
  return {
    identity: state["identity"] as DemoTrainingIdentity,
    position: {
      step: state["step"] as number,
      elapsedMs: state["elapsedMs"] as number,
      rngState: state["rngState"] as number,
      curve: state["curve"] as CurvePoint[],
      lossSum: state["lossSum"] as number,
      lossCount: state["lossCount"] as number,
      nextPoint: state["nextPoint"] as number,
    },
    params,
    adam,
  };
}

/** The checkpoint in `dir` when a run of `identity` can resume it; otherwise why it is set aside (both null: none). */
export function resumableCheckpoint(
  dir: string,
  identity: DemoTrainingIdentity,
  names: readonly string[],
): { checkpoint: DemoCheckpoint | null; setAside: string | null } {
  if (!hasCheckpoint(dir)) return { checkpoint: null, setAside: null };
  let checkpoint: DemoCheckpoint;
  try {
    checkpoint = readDemoCheckpoint(dir, names);
  } catch (error) {
    return { checkpoint: null, setAside: `its checkpoint could not be read (${(error as Error).message})` };
  }
  const differ = identityDifferences(checkpoint.identity, identity);
  if (differ.length > 0) {
    return { checkpoint: null, setAside: `its checkpoint was trained with other ${differ.join(", ")}` };
  }
  return { checkpoint, setAside: null };
}
