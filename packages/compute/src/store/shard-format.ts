import type { StoreDtype } from "./manifest.js";

/**
 * A shard file holds `rows` rows: the activations ([rows, d], little-endian float32 or float16), then three int32
 * arrays of length `rows`: token ids, document indices (−1 for special tokens) and token offsets in the document.
 */
export interface ShardRows {
  /** [rows × d], float32 whatever the stored dtype. */
  x: Float32Array;
  tokens: Int32Array;
  docs: Int32Array;
  offsets: Int32Array;
}

export function bytesPerValue(dtype: StoreDtype): number {
  return dtype === "float16" ? 2 : 4;
}

export function shardFileName(index: number): string {
  return `shard-${String(index).padStart(5, "0")}.bin`;
}

export function activationBytes(rows: number, d: number, dtype: StoreDtype): number {
  return rows * d * bytesPerValue(dtype);
}

export function shardBytes(rows: number, d: number, dtype: StoreDtype): number {
  return activationBytes(rows, d, dtype) + rows * 12;
}
