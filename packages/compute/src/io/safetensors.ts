/**
 * Safetensors reader and writer: an 8-byte little-endian header length, a JSON header, then raw little-endian buffers.
 * Every floating or integer dtype is read into a Float32Array (integers are exact up to 2^24).
 */
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, halfToFloat32 } from "./float16.js";

export const SAFETENSORS_DTYPES = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"] as const;
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Largest header accepted (the format's own limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range [begin, end) inside the data section. */
  dataOffsets: [number, number];
}

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

export interface TensorToWrite {
  shape: readonly number[];
  /** Float32Array is written as F32 (or F16 / BF16 with the `dtype` option); Int32Array as I32. */
  data: Float32Array | Int32Array;
}

export interface SafetensorsContents {
  tensors: Record<string, HostTensor>;
  metadata: Record<string, string>;
}

export type FloatStorage = "F32" | "F16" | "BF16";

export interface WriteSafetensorsOptions {
  /** Storage type of float tensors (default F32). */
  dtype?: FloatStorage;
}

export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function parseEntry(path: string, name: string, raw: unknown, dataBytes: number): TensorEntry {
  const fail = (why: string) =>
    new SafetensorsError(`${path}: tensor "${name}" ${why}; the file is corrupt — re-export or re-download it.`);
  if (typeof raw !== "object" || raw === null) throw fail("has no header entry object");
  const { dtype, shape, data_offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== "string" || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
    throw fail(`has dtype ${JSON.stringify(dtype)}, which is not one of ${SAFETENSORS_DTYPES.join(", ")}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw fail("has an invalid shape");
  if (
    !Array.isArray(data_offsets) ||
    data_offsets.length !== 2 ||
    !data_offsets.every((o) => Number.isInteger(o) && o >= 0)
  ) {
    throw fail("has invalid data_offsets");
  }
  const [begin, end] = data_offsets as [number, number];
  const kind = dtype as SafetensorsDtype;
  if (end - begin !== elementCount(shape) * BYTES_PER_ELEMENT[kind]) {
    throw fail(`has ${end - begin} bytes for shape [${shape.join(", ")}] of ${kind}`);
  }
  if (end > dataBytes) throw fail(`ends at byte ${end} but the data section holds ${dataBytes} (truncated file)`);
  return { dtype: kind, shape: shape as number[], dataOffsets: [begin, end] };
}

function decode(entry: TensorEntry, bytes: Uint8Array): Float32Array {
  const n = elementCount(entry.shape);
  const { buffer, byteOffset } = bytes;
  switch (entry.dtype) {
    case "F32":
      return new Float32Array(buffer, byteOffset, n);
    case "F16":
      return halfToFloat32(new Uint16Array(buffer, byteOffset, n));
    case "BF16":
      return bfloat16ToFloat32(new Uint16Array(buffer, byteOffset, n));
    case "F64":
      return Float32Array.from(new Float64Array(buffer, byteOffset, n));
    case "I64": {
      const wide = new BigInt64Array(buffer, byteOffset, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(wide[i]!);
      return out;
    }
    case "I32":
      return Float32Array.from(new Int32Array(buffer, byteOffset, n));
    case "I16":
      return Float32Array.from(new Int16Array(buffer, byteOffset, n));
    case "I8":
      return Float32Array.from(new Int8Array(buffer, byteOffset, n));
    case "U8":
    case "BOOL":
      return Float32Array.from(bytes.subarray(0, n));
  }
}

/** An open safetensors file whose tensors are read one at a time (memory stays at one tensor). */
export class SafetensorsFile {
  readonly entries: ReadonlyMap<string, TensorEntry>;
  readonly metadata: Record<string, string>;
  private fd: number | null;
  private readonly dataStart: number;

  private constructor(
    readonly path: string,
    fd: number,
    entries: Map<string, TensorEntry>,
    metadata: Record<string, string>,
    dataStart: number,
  ) {
    this.fd = fd;
    this.entries = entries;
    this.metadata = metadata;
    this.dataStart = dataStart;
  }

  static open(path: string): SafetensorsFile {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (error) {
      throw new SafetensorsError(`${path}: cannot open (${(error as Error).message}); check the path.`);
    }
    try {
      const size = fstatSync(fd).size;
      const truncated = (what: string) =>
        new SafetensorsError(`${path}: truncated or not a safetensors file (${what}); re-export or re-download it.`);
      if (size < 8) throw truncated(`${size} bytes, the 8-byte header length is missing`);
      const lengthBytes = Buffer.alloc(8);
      readSync(fd, lengthBytes, 0, 8, 0);
      const headerLength = Number(lengthBytes.readBigUInt64LE(0));
      if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
        throw truncated(`header claims ${headerLength} bytes, file has ${size}`);
      }
      const headerBytes = Buffer.alloc(headerLength);
      readSync(fd, headerBytes, 0, headerLength, 8);
      let header: unknown;
      try {
        header = JSON.parse(headerBytes.toString("utf8"));
      } catch {
        throw truncated("the JSON header does not parse");
      }
      if (typeof header !== "object" || header === null || Array.isArray(header)) {
        throw truncated("the header is not a JSON object");
      }
      const dataStart = 8 + headerLength;
      const entries = new Map<string, TensorEntry>();
      let metadata: Record<string, string> = {};
      for (const [name, raw] of Object.entries(header)) {
        if (name === "__metadata__") metadata = (raw ?? {}) as Record<string, string>;
        else entries.set(name, parseEntry(path, name, raw, size - dataStart));
      }
      return new SafetensorsFile(path, fd, entries, metadata, dataStart);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Reads one tensor, converted to float32. */
  read(name: string): HostTensor {
    const entry = this.entries.get(name);
    if (!entry) throw new SafetensorsError(`${this.path}: no tensor named "${name}"; it holds ${this.names.length}.`);
    if (this.fd === null) throw new SafetensorsError(`${this.path}: read after close.`);
    const [begin, end] = entry.dataOffsets;
    const bytes = new Uint8Array(new ArrayBuffer(Math.max(end - begin, 0)));
    let done = 0;
    while (done < bytes.length) {
      const got = readSync(this.fd, bytes, done, bytes.length - done, this.dataStart + begin + done);
      if (got === 0) throw new SafetensorsError(`${this.path}: truncated inside tensor "${name}".`);
      done += got;
    }
    return { shape: [...entry.shape], data: decode(entry, bytes) };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Reads every tensor of a safetensors file (float32) and its `__metadata__`. */
export function readSafetensors(path: string): SafetensorsContents {
  const file = SafetensorsFile.open(path);
  try {
    const tensors: Record<string, HostTensor> = {};
    for (const name of file.names) tensors[name] = file.read(name);
    return { tensors, metadata: file.metadata };
  } finally {
    file.close();
  }
}

function storedBytes(tensor: TensorToWrite, floatDtype: FloatStorage): { dtype: SafetensorsDtype; bytes: Uint8Array } {
  const { data } = tensor;
  if (data instanceof Int32Array) {
    return { dtype: "I32", bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  }
  if (floatDtype === "F16") {
    const half = float32ToHalf(data);
    return { dtype: "F16", bytes: new Uint8Array(half.buffer) };
  }
  if (floatDtype === "BF16") {
    const brain = float32ToBfloat16(data);
    return { dtype: "BF16", bytes: new Uint8Array(brain.buffer) };
  }
  return { dtype: "F32", bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * Writes tensors (and optional string metadata) as safetensors. The file appears complete or not at all:
 * it is written under a temporary name in the same folder and renamed when done.
 */
export function writeSafetensors(
  path: string,
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
  options: WriteSafetensorsOptions = {},
): void {
  const floatDtype = options.dtype ?? "F32";
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header["__metadata__"] = { ...metadata };
  const buffers: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (elementCount(tensor.shape) !== tensor.data.length) {
      throw new SafetensorsError(
        `writing ${path}: tensor "${name}" has ${tensor.data.length} values but shape [${tensor.shape.join(", ")}].`,
      );
    }
    const { dtype, bytes } = storedBytes(tensor, floatDtype);
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes.byteLength] };
    buffers.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json, "utf8");
  json += " ".repeat((8 - (jsonBytes % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(headerBytes.byteLength));

  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, "w");
  let open = true;
  try {
    for (const chunk of [lengthBytes, headerBytes, ...buffers]) {
      let done = 0;
      while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done);
    }
    closeSync(fd);
    open = false;
    renameSync(temp, path);
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}
