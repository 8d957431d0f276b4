/**
 * The SAE codes of the feature-data pass written to a temporary file as they are computed, so the second sweep
 * (which needs each feature's maximum) reads them back instead of encoding the store again. Sparse: per chunk its
 * position, tokens, selection mask and the non-zero codes of its rows (CSR). Memory: one chunk at a time.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One chunk of rows of a shard: dense codes [n × dSae] of shard rows [from, from + n). */
export interface Chunk {
  f: Float32Array;
  from: number;
  n: number;
  shardStart: number;
  /** Token ids of the chunk's rows (chunk-local). */
  tokens: Int32Array;
  /** 1 for rows of the selection (chunk-local). */
  selected: Uint8Array;
}

const HEADER_BYTES = 16;

function bytes(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

export class SpillFile {
  private readonly dir = mkdtempSync(join(tmpdir(), "interlace-feature-data-"));
  private readonly path = join(this.dir, "codes.bin");
  private readonly fd = openSync(this.path, "w+");
  private written = 0;

  constructor(private readonly m: number) {}

  write(chunk: Chunk): void {
    const { f, n, m } = { f: chunk.f, n: chunk.n, m: this.m };
    const offsets = new Int32Array(n + 1);
    let nnz = 0;
    for (let i = 0; i < f.length; i++) if (f[i] !== 0) nnz++;
    const index = new Int32Array(nnz);
    const value = new Float32Array(nnz);
    let at = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < m; i++) {
        const v = f[r * m + i]!;
        if (v !== 0) {
          index[at] = i;
          value[at] = v;
          at++;
        }
      }
      offsets[r + 1] = at;
    }
    const selected = new Uint8Array(Math.ceil(n / 4) * 4);
    selected.set(chunk.selected);
    for (const part of [new Int32Array([chunk.from, n, chunk.shardStart, nnz]), chunk.tokens, selected, offsets]) {
      this.append(bytes(part));
    }
    this.append(bytes(index));
    this.append(bytes(value));
  }

  private append(buffer: Buffer): void {
    let done = 0;
    while (done < buffer.length) done += writeSync(this.fd, buffer, done, buffer.length - done, this.written + done);
    this.written += buffer.length;
  }

  private readAt(position: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const got = readSync(this.fd, buffer, done, length - done, position + done);
      if (got === 0) throw new Error(`feature-data spill file ${this.path} ended early; is the disk full?`);
      done += got;
    }
    return buffer;
  }

  /** The chunks in the order written, dense again. */
  *read(): Generator<Chunk> {
    const m = this.m;
    let position = 0;
    while (position < this.written) {
      const header = new Int32Array(this.readAt(position, HEADER_BYTES).buffer.slice(0));
      const [from, n, shardStart, nnz] = [header[0]!, header[1]!, header[2]!, header[3]!];
      position += HEADER_BYTES;
      const selectedBytes = Math.ceil(n / 4) * 4;
      const body = this.readAt(position, 4 * n + selectedBytes + 4 * (n + 1) + 8 * nnz);
      position += body.length;
      const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.length);
      let at = 0;
      const tokens = new Int32Array(buffer, at, n);
      at += 4 * n;
      const selected = new Uint8Array(buffer, at, n);
      at += selectedBytes;
      const offsets = new Int32Array(buffer, at, n + 1);
      at += 4 * (n + 1);
      const index = new Int32Array(buffer, at, nnz);
      at += 4 * nnz;
      const value = new Float32Array(buffer, at, nnz);
      const f = new Float32Array(n * m);
      for (let r = 0; r < n; r++) {
        for (let p = offsets[r]!; p < offsets[r + 1]!; p++) f[r * m + index[p]!] = value[p]!;
      }
      yield { f, from, n, shardStart, tokens, selected };
    }
  }

  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
