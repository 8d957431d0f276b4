/**
 * Checkpoints of residual models (the NFM and its controls): parameters, batch-norm statistics, Adam moments and
 * the training position (step, RNG state, batch order) in one atomically written safetensors file, so a killed run
 * resumes bit for bit and a finished one can be loaded without retraining.
 */

import type { AdamState } from "../train/adam.js";
import { hasCheckpoint, readCheckpoint, writeCheckpoint } from "../train/checkpoint.js";
import { type InputScales, ResidualModel, type ResidualModelConfig } from "./model.js";

/** What must match for a checkpoint to be resumed: changing any of these would silently train another model. */
export interface ResidualTrainingIdentity {
  config: ResidualModelConfig;
  seed: number;
  steps: number;
  batchSize: number;
  lr: number;
  permuteTargets: boolean;
  trainRows: number;
}

export interface ResidualTrainingPosition {
  /** Steps completed. */
  step: number;
  rngState: number;
  /** Position in `order`. */
  cursor: number;
  order: Int32Array;
  stopReason: "completed" | "running";
}

export interface ResidualCheckpoint {
  identity: ResidualTrainingIdentity;
  scales: InputScales;
  position: ResidualTrainingPosition;
  adam: AdamState;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

export { hasCheckpoint as hasResidualCheckpoint };

export function writeResidualCheckpoint(
  dir: string,
  model: ResidualModel,
  adam: AdamState,
  identity: ResidualTrainingIdentity,
  position: ResidualTrainingPosition,
): void {
  const tensors = model.exportTensors();
  for (const [name, m] of Object.entries(adam.m)) {
    const shape = tensors[`param.${name}`]!.shape;
    tensors[`adam_m.${name}`] = { shape, data: m };
    tensors[`adam_v.${name}`] = { shape, data: adam.v[name]! };
  }
  tensors["order"] = { shape: [position.order.length], data: Float32Array.from(position.order) };
  writeCheckpoint(dir, {
    tensors,
    state: {
      kind: "interlace-residual-model",
      identity,
      scales: model.scales,
      step: position.step,
      rngState: position.rngState,
      cursor: position.cursor,
      adamStep: adam.step,
      stopReason: position.stopReason,
    },
  });
}

export function readResidualCheckpoint(dir: string): ResidualCheckpoint {
  const { tensors, state } = readCheckpoint(dir);
  if (state["kind"] !== "interlace-residual-model") {
    throw new Error(`the checkpoint in ${dir} is not a residual-model (NFM) checkpoint; point at an NFM's folder.`);
  }
  const identity = state["identity"] as ResidualTrainingIdentity;
  const adam: AdamState = { step: state["adamStep"] as number, m: {}, v: {} };
  for (const name of Object.keys(tensors)) {
    if (!name.startsWith("param.")) continue;
    const param = name.slice("param.".length);
    const m = tensors[`adam_m.${param}`];
    const v = tensors[`adam_v.${param}`];
    if (!m || !v) throw new Error(`the checkpoint in ${dir} lacks Adam moments for ${param}; it is incomplete.`);
    adam.m[param] = m.data;
    adam.v[param] = v.data;
  }
  const order = tensors["order"];
  if (!order) throw new Error(`the checkpoint in ${dir} lacks the batch order; it is incomplete.`);
  return {
    identity,
    scales: state["scales"] as InputScales,
    position: {
      step: state["step"] as number,
      rngState: state["rngState"] as number,
      cursor: state["cursor"] as number,
      order: Int32Array.from(order.data),
      stopReason: state["stopReason"] as ResidualTrainingPosition["stopReason"],
    },
    adam,
    tensors,
  };
}

/** A model with the checkpoint's weights (finished or not); caller disposes. */
export function loadResidualModel(dir: string): ResidualModel {
  const { identity, scales, tensors } = readResidualCheckpoint(dir);
  return ResidualModel.fromState({ config: identity.config, scales, tensors });
}
