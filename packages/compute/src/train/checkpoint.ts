/**
 * Training checkpoints: parameters, optimiser moments and a JSON state in one safetensors file, written atomically
 * (temporary name, then rename), so an interrupted run never leaves a half-written checkpoint.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, type TensorToWrite, writeSafetensors } from "../io/safetensors.js";

export const CHECKPOINT_FILE = "training_state.safetensors";

export interface Checkpoint {
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
  /** Anything JSON-serialisable: step, schedule, RNG and data-source positions. */
  state: Record<string, unknown>;
}

/** The checkpoint, or a temporary file of one whose writing was interrupted (a killed process leaves it behind). */
export function isCheckpointFile(name: string): boolean {
  return name === CHECKPOINT_FILE || (name.startsWith(`.${CHECKPOINT_FILE}.`) && name.endsWith(".tmp"));
}

export function writeCheckpoint(dir: string, checkpoint: Checkpoint): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CHECKPOINT_FILE);
  const tensors: Record<string, TensorToWrite> = {};
  for (const [name, t] of Object.entries(checkpoint.tensors)) tensors[name] = t;
  writeSafetensors(path, tensors, { state: JSON.stringify(checkpoint.state) });
  return path;
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

export function readCheckpoint(dir: string): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new Error(`no checkpoint at ${path}; train without resume first.`);
  const { tensors, metadata } = readSafetensors(path);
  const raw = metadata["state"];
  if (!raw) throw new Error(`${path} has no training state in its metadata; it is not an Interlace checkpoint.`);
  return { tensors, state: JSON.parse(raw) as Record<string, unknown> };
}

/** The names of the settings that differ between a checkpoint's run and the run asking to resume it. */
export function identityDifferences<T extends object>(saved: T, wanted: T): string[] {
  const differ: string[] = [];
  for (const key of Object.keys(wanted) as (keyof T & string)[]) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(wanted[key])) differ.push(key);
  }
  return differ;
}
