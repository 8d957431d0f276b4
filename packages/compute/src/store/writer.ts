import { createHash, type Hash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { float32ToHalf } from "../io/float16.js";
import {
  readManifest,
  STORE_DTYPES,
  STORE_FORMAT,
  type StoreHeader,
  type StoreManifest,
  writeManifest,
} from "./manifest.js";
import { RunningStats } from "./running-stats.js";
import { type ShardRows, shardBytes, shardFileName } from "./shard-format.js";
import { verifyShardFile } from "./shard-io.js";

const HEADER_KEYS = [
  "model",
  "modelType",
  "hook",
  "d",
  "context",
  "bos",
  "dtype",
  "corpus",
  "tokens",
  "rowsPerShard",
] as const satisfies readonly (keyof StoreHeader)[];

const SHARD_FILE = /^shard-\d{5}\.bin(\.partial)?$/;

export interface OpenStoreWriterOptions {
  /** Delete an existing store in the folder instead of resuming it. */
  overwrite?: boolean;
}

function validateHeader(header: StoreHeader): void {
  if (!STORE_DTYPES.includes(header.dtype)) {
    throw new Error(`dtype must be one of ${STORE_DTYPES.join(", ")}, got ${JSON.stringify(header.dtype)}.`);
  }
  for (const key of ["d", "context", "tokens", "rowsPerShard"] as const) {
    if (!Number.isInteger(header[key]) || header[key] < 1) {
      throw new Error(`${key} must be a positive integer, got ${header[key]}.`);
    }
  }
  if (header.rowsPerShard % header.context !== 0) {
    throw new Error(`rowsPerShard (${header.rowsPerShard}) must be a multiple of context (${header.context}).`);
  }
}

function headerMismatch(existing: StoreManifest, header: StoreHeader): string[] {
  return HEADER_KEYS.filter((key) => existing[key] !== header[key]).map(
    (key) => `${key}: store has ${JSON.stringify(existing[key])}, asked ${JSON.stringify(header[key])}`,
  );
}

/**
 * Writes an activation store one shard at a time. Rows stream into `shard-NNNNN.bin.partial`; a full shard is
 * fsynced, renamed to its final name and only then listed in the manifest (itself replaced atomically), so a killed
 * writer leaves complete shards plus at most one partial file, which the next open deletes before resuming.
 * Memory: one shard's provenance (12 bytes a row) and the caller's batch, whatever the store's size.
 */
export class ActivationStoreWriter {
  private fd: number | null = null;
  private hash: Hash | null = null;
  private pendingRows = 0;
  private pendingTokens: Int32Array;
  private pendingDocs: Int32Array;
  private pendingOffsets: Int32Array;
  private readonly stats: RunningStats;
  private documents: readonly string[];

  private constructor(
    readonly dir: string,
    private manifest: StoreManifest,
  ) {
    const { rowsPerShard, d } = manifest;
    this.pendingTokens = new Int32Array(rowsPerShard);
    this.pendingDocs = new Int32Array(rowsPerShard);
    this.pendingOffsets = new Int32Array(rowsPerShard);
    this.stats = new RunningStats(d, manifest.stats);
    this.documents = manifest.documents;
  }

  /** Opens `dir` for writing: resumes a store with the same header, or starts a new one. */
  static open(dir: string, header: StoreHeader, options: OpenStoreWriterOptions = {}): ActivationStoreWriter {
    validateHeader(header);
    mkdirSync(dir, { recursive: true });
    let existing = readManifest(dir);
    if (existing && options.overwrite) {
      rmSync(join(dir, "manifest.json"));
      existing = null;
    }
    if (existing) {
      const mismatch = headerMismatch(existing, header);
      if (mismatch.length > 0) {
        throw new Error(
          `${dir} already holds a different harvest (${mismatch.join("; ")}): pass --overwrite to replace it, ` +
            "or choose another --out.",
        );
      }
      for (const shard of existing.shards) verifyShardFile(dir, shard, existing.d, existing.dtype);
    }
    const listed = new Set(existing?.shards.map((s) => s.file));
    for (const name of readdirSync(dir)) {
      if ((SHARD_FILE.test(name) && !listed.has(name)) || name === "manifest.json.partial") rmSync(join(dir, name));
    }
    const manifest: StoreManifest = existing ?? {
      format: STORE_FORMAT,
      ...header,
      rows: 0,
      complete: false,
      documents: [],
      stats: new RunningStats(header.d).toStats(),
      shards: [],
      updatedAt: "",
    };
    writeManifest(dir, manifest);
    return new ActivationStoreWriter(dir, manifest);
  }

  /** Rows in complete shards (where a resumed harvest continues from). */
  get committedRows(): number {
    return this.manifest.rows;
  }

  get complete(): boolean {
    return this.manifest.complete;
  }

  /** The document table as saved with the last complete shard. */
  get savedDocuments(): readonly string[] {
    return this.manifest.documents;
  }

  /** The document table that rows' `docs` index; saved with each shard (the caller may keep appending to it). */
  setDocuments(documents: readonly string[]): void {
    this.documents = documents;
  }

  /** Appends rows [0, count) of `rows`; `includeInStats(r)` says whether row r counts in the norm statistics. */
  append(rows: ShardRows, count: number, includeInStats: (row: number) => boolean): void {
    if (this.manifest.complete) throw new Error(`${this.dir}: the store is complete; nothing more can be appended.`);
    const { d, rowsPerShard } = this.manifest;
    let start = 0;
    while (start < count) {
      const n = Math.min(count - start, rowsPerShard - this.pendingRows);
      this.writeRows(rows, start, n);
      this.stats.add(rows.x.subarray(start * d, (start + n) * d), n, (r) => includeInStats(start + r));
      start += n;
      if (this.pendingRows === rowsPerShard) this.commitShard();
    }
  }

  private writeRows(rows: ShardRows, start: number, n: number): void {
    const { d, dtype } = this.manifest;
    if (this.fd === null) {
      this.fd = openSync(join(this.dir, `${shardFileName(this.manifest.shards.length)}.partial`), "w");
      this.hash = createHash("sha256");
    }
    const x = rows.x.subarray(start * d, (start + n) * d);
    const encoded = dtype === "float16" ? float32ToHalf(x) : x;
    const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    writeSync(this.fd, bytes);
    this.hash!.update(bytes);
    this.pendingTokens.set(rows.tokens.subarray(start, start + n), this.pendingRows);
    this.pendingDocs.set(rows.docs.subarray(start, start + n), this.pendingRows);
    this.pendingOffsets.set(rows.offsets.subarray(start, start + n), this.pendingRows);
    this.pendingRows += n;
  }

  private commitShard(): void {
    if (this.fd === null || this.pendingRows === 0) return;
    const n = this.pendingRows;
    for (const array of [this.pendingTokens, this.pendingDocs, this.pendingOffsets]) {
      const bytes = Buffer.from(array.buffer, 0, n * 4);
      writeSync(this.fd, bytes);
      this.hash!.update(bytes);
    }
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    const file = shardFileName(this.manifest.shards.length);
    renameSync(join(this.dir, `${file}.partial`), join(this.dir, file));
    const bytes = shardBytes(n, this.manifest.d, this.manifest.dtype);
    this.manifest = {
      ...this.manifest,
      rows: this.manifest.rows + n,
      documents: [...this.documents],
      stats: this.stats.toStats(),
      shards: [...this.manifest.shards, { file, rows: n, bytes, sha256: this.hash!.digest("hex") }],
    };
    this.hash = null;
    this.pendingRows = 0;
    writeManifest(this.dir, this.manifest);
  }

  /** Writes the last (possibly short) shard and marks the store complete. */
  finish(): StoreManifest {
    this.commitShard();
    this.manifest = { ...this.manifest, complete: true, documents: [...this.documents] };
    writeManifest(this.dir, this.manifest);
    return this.manifest;
  }

  /** Stops without completing: deletes the partial shard; complete shards stay for a later resume. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.hash = null;
    this.pendingRows = 0;
    rmSync(join(this.dir, `${shardFileName(this.manifest.shards.length)}.partial`), { force: true });
  }
}
