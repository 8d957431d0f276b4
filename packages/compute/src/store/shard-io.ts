import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { halfToFloat32 } from "../io/float16.js";
import { fileSha256 } from "./checksum.js";
import { CorruptShardError } from "./errors.js";
import type { ShardEntry, StoreDtype } from "./manifest.js";
import { activationBytes, type ShardRows, shardBytes } from "./shard-format.js";

function checkSize(dir: string, entry: ShardEntry, d: number, dtype: StoreDtype, actual: number | undefined): void {
  if (actual === undefined) throw new CorruptShardError(dir, entry.file, "missing");
  const expected = shardBytes(entry.rows, d, dtype);
  if (entry.bytes !== expected) {
    throw new CorruptShardError(dir, entry.file, `listed with ${entry.bytes} bytes where ${expected} were expected`);
  }
  if (actual !== expected) {
    throw new CorruptShardError(dir, entry.file, `truncated or overlong (${actual} bytes, expected ${expected})`);
  }
}

/** Checks a shard's size and sha256 without decoding it. */
export function verifyShardFile(dir: string, entry: ShardEntry, d: number, dtype: StoreDtype): void {
  const path = join(dir, entry.file);
  checkSize(dir, entry, d, dtype, statSync(path, { throwIfNoEntry: false })?.size);
  if (fileSha256(path) !== entry.sha256) throw new CorruptShardError(dir, entry.file, "corrupt (sha256 mismatch)");
}

function int32View(buffer: Buffer, byteOffset: number, length: number): Int32Array {
  const copy = new Int32Array(length);
  new Uint8Array(copy.buffer).set(buffer.subarray(byteOffset, byteOffset + length * 4));
  return copy;
}

/** Reads a whole shard, verifying size and sha256, and decodes it to float32 rows with their provenance. */
export function readShardFile(dir: string, entry: ShardEntry, d: number, dtype: StoreDtype): ShardRows {
  const path = join(dir, entry.file);
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch {
    throw new CorruptShardError(dir, entry.file, "missing");
  }
  checkSize(dir, entry, d, dtype, buffer.length);
  if (createHash("sha256").update(buffer).digest("hex") !== entry.sha256) {
    throw new CorruptShardError(dir, entry.file, "corrupt (sha256 mismatch)");
  }
  const { rows } = entry;
  const actBytes = activationBytes(rows, d, dtype);
  let x: Float32Array;
  if (dtype === "float16") {
    const bits = new Uint16Array(rows * d);
    new Uint8Array(bits.buffer).set(buffer.subarray(0, actBytes));
    x = halfToFloat32(bits);
  } else {
    x = new Float32Array(rows * d);
    new Uint8Array(x.buffer).set(buffer.subarray(0, actBytes));
  }
  return {
    x,
    tokens: int32View(buffer, actBytes, rows),
    docs: int32View(buffer, actBytes + rows * 4, rows),
    offsets: int32View(buffer, actBytes + rows * 8, rows),
  };
}

export interface ShardProvenance {
  tokens: Int32Array;
  docs: Int32Array;
  offsets: Int32Array;
}

/** Reads only a shard's token ids and document/offset arrays (size checked; the checksum needs the whole file). */
export function readShardProvenance(dir: string, entry: ShardEntry, d: number, dtype: StoreDtype): ShardProvenance {
  const path = join(dir, entry.file);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    throw new CorruptShardError(dir, entry.file, "missing");
  }
  try {
    checkSize(dir, entry, d, dtype, fstatSync(fd).size);
    const { rows } = entry;
    const buffer = Buffer.alloc(rows * 12);
    readSync(fd, buffer, 0, buffer.length, activationBytes(rows, d, dtype));
    return {
      tokens: int32View(buffer, 0, rows),
      docs: int32View(buffer, rows * 4, rows),
      offsets: int32View(buffer, rows * 8, rows),
    };
  } finally {
    closeSync(fd);
  }
}
