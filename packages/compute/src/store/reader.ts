import { concatFloat32, concatInt32 } from "../io/concat.js";
import { createRng } from "../stats/rng.js";
import { readManifest, type StoreManifest } from "./manifest.js";
import { heldOutRule, type RowSplit, type RowSplitOptions, rowInSplit } from "./row-split.js";
import type { ShardRows } from "./shard-format.js";
import { readShardFile, readShardProvenance, type ShardProvenance, verifyShardFile } from "./shard-io.js";

export interface RowSelection extends RowSplitOptions {
  /** Which rows: the training side, the held-out side or all (default "all"). */
  split?: RowSplit;
  /** Keep rows of special tokens (BOS, document separators); default false. */
  includeSpecial?: boolean;
}

export interface BatchOptions extends RowSelection {
  batchSize: number;
  /** Fixes the shuffle (separate from the split seed). */
  shuffleSeed?: number;
  /** Passes over the selected rows (default 1). */
  epochs?: number;
  /** Shards held in memory at once and shuffled together (default 4): memory ≈ this × shard size. */
  bufferShards?: number;
  /** Drop the last batch of an epoch when it is short (default false). */
  dropLast?: boolean;
}

export interface ActivationBatch {
  /** [size × d] */
  x: Float32Array;
  /** Store row index of each batch row. */
  rows: Int32Array;
  size: number;
}

/** One shard of a scan: its first store row, its rows, and which of them the selection keeps. */
export interface ScannedShard {
  start: number;
  rows: ShardRows;
  /** 1 for each kept row (shard-local index). */
  selected: Uint8Array;
  /** Kept rows in this shard. */
  count: number;
}

export interface RowContext {
  /** Token ids of the window around the row, within the row's window. */
  tokens: number[];
  /** Index of the row's own token in `tokens`. */
  position: number;
  /** Document id, or null for a special token. */
  document: string | null;
  /** Token offset within the document, or −1. */
  offset: number;
}

/** Reads a complete activation store: shuffled training batches, a seeded held-out split, row provenance. */
export class ActivationStore {
  private readonly shardStarts: number[];
  private readonly provenanceCache = new Map<number, ShardProvenance>();

  private constructor(
    readonly dir: string,
    readonly manifest: StoreManifest,
  ) {
    this.shardStarts = [];
    let start = 0;
    for (const shard of manifest.shards) {
      this.shardStarts.push(start);
      start += shard.rows;
    }
  }

  static open(dir: string): ActivationStore {
    const manifest = readManifest(dir);
    if (!manifest) throw new Error(`${dir} holds no activation store (no manifest.json): run \`interlace harvest\`.`);
    if (!manifest.complete) {
      throw new Error(
        `The harvest into ${dir} did not finish: run the same \`interlace harvest\` command to resume it.`,
      );
    }
    return new ActivationStore(dir, manifest);
  }

  get d(): number {
    return this.manifest.d;
  }

  get rows(): number {
    return this.manifest.rows;
  }

  /** Checks every shard's size and checksum; throws CorruptShardError naming the first bad shard. */
  verify(): void {
    for (const shard of this.manifest.shards) verifyShardFile(this.dir, shard, this.d, this.manifest.dtype);
  }

  /** One shard decoded to float32 (checksum verified). */
  readShard(index: number): ShardRows {
    const entry = this.manifest.shards[index];
    if (!entry) throw new Error(`Shard ${index} does not exist: the store has ${this.manifest.shards.length} shards.`);
    return readShardFile(this.dir, entry, this.d, this.manifest.dtype);
  }

  /** The store rows of one shard that a selection keeps. */
  private selectRows(shard: number, rows: ShardRows, selection: RowSelection, rule: ReturnType<typeof heldOutRule>) {
    const start = this.shardStarts[shard]!;
    const keep: number[] = [];
    for (let r = 0; r < rows.docs.length; r++) {
      const doc = rows.docs[r]!;
      if (doc < 0 && !selection.includeSpecial) continue;
      if (rowInSplit(rule, selection.split ?? "all", start + r, doc)) keep.push(r);
    }
    return keep;
  }

  /** Which side a row falls on, and whether the split is by document or by window. */
  heldOutRule(options: RowSplitOptions = {}) {
    return heldOutRule(this.manifest, options);
  }

  /** Shuffled batches across shards: shard order and rows within a buffer of shards are permuted by the seed. */
  *batches(options: BatchOptions): Generator<ActivationBatch> {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be ≥ 1, got ${batchSize}.`);
    const d = this.d;
    const rule = heldOutRule(this.manifest, options);
    const rng = createRng(options.shuffleSeed ?? 0);
    const bufferShards = Math.max(1, options.bufferShards ?? 4);
    for (let epoch = 0; epoch < (options.epochs ?? 1); epoch++) {
      const order = shuffled(this.manifest.shards.length, rng);
      let carryX: Float32Array = new Float32Array(0);
      let carryRows: Int32Array = new Int32Array(0);
      for (let g = 0; g < order.length; g += bufferShards) {
        const xs: Float32Array[] = [carryX];
        const ids: Int32Array[] = [carryRows];
        for (const shard of order.slice(g, g + bufferShards)) {
          const rows = this.readShard(shard);
          const keep = this.selectRows(shard, rows, options, rule);
          xs.push(copyRows(rows.x, keep, d));
          ids.push(Int32Array.from(keep, (r) => this.shardStarts[shard]! + r));
        }
        const poolX = concatFloat32(xs);
        const poolRows = concatInt32(ids);
        const perm = shuffled(poolRows.length, rng);
        const full = Math.floor(perm.length / batchSize) * batchSize;
        for (let b = 0; b < full; b += batchSize) yield gather(poolX, poolRows, perm.slice(b, b + batchSize), d);
        const rest = perm.slice(full);
        const tail = gather(poolX, poolRows, rest, d);
        carryX = tail.x;
        carryRows = tail.rows;
      }
      if (carryRows.length > 0 && !options.dropLast) yield { x: carryX, rows: carryRows, size: carryRows.length };
    }
  }

  /**
   * Every shard in store order with a mask of the rows a selection keeps (up to `maxRows` of them, the same rows
   * `readAll` returns): one shard in memory at a time, for passes over stores of any size.
   */
  *scanShards(selection: RowSelection = {}, maxRows = Number.POSITIVE_INFINITY): Generator<ScannedShard> {
    const rule = heldOutRule(this.manifest, selection);
    let total = 0;
    for (let shard = 0; shard < this.manifest.shards.length && total < maxRows; shard++) {
      const rows = this.readShard(shard);
      const keep = this.selectRows(shard, rows, selection, rule).slice(0, maxRows - total);
      const selected = new Uint8Array(rows.docs.length);
      for (const r of keep) selected[r] = 1;
      total += keep.length;
      yield { start: this.shardStarts[shard]!, rows, selected, count: keep.length };
    }
  }

  /** Up to `maxRows` selected rows in store order, in one [n × d] array (for small studies), with each row's
   *  document (an index into the manifest's documents; −1 for a special token). */
  readAll(maxRows: number, selection: RowSelection = {}): ActivationBatch & { docs: Int32Array } {
    const d = this.d;
    const xs: Float32Array[] = [];
    const { rows, docs, size } = this.readSelected(maxRows, selection, (x, keep) => xs.push(copyRows(x, keep, d)));
    return { x: concatFloat32(xs), rows, docs, size };
  }

  /**
   * Up to `maxRows` selected rows in store order, their activations written into `target` from row `at` on (no
   * intermediate copy: a study reads its rows straight into shared memory). Fails when they do not fit.
   */
  readInto(
    target: Float32Array,
    at: number,
    maxRows: number,
    selection: RowSelection = {},
  ): { rows: Int32Array; docs: Int32Array; size: number } {
    const d = this.d;
    const room = target.length / d - at;
    if (!(Number.isInteger(room) && room >= 0)) {
      throw new Error(`readInto: the target holds ${target.length / d} rows of width ${d}; row ${at} is outside it.`);
    }
    let next = at;
    return this.readSelected(maxRows, selection, (x, keep) => {
      if (next + keep.length > at + room) {
        throw new Error(`readInto: the selection has more than the target's ${room} free rows; give a larger target.`);
      }
      for (const r of keep) target.set(x.subarray(r * d, (r + 1) * d), next++ * d);
    });
  }

  /** Walks the selected rows shard by shard, handing each shard's activations and kept rows to `visit`. */
  private readSelected(
    maxRows: number,
    selection: RowSelection,
    visit: (x: Float32Array, keep: number[]) => void,
  ): { rows: Int32Array; docs: Int32Array; size: number } {
    const rule = heldOutRule(this.manifest, selection);
    const ids: Int32Array[] = [];
    const docs: Int32Array[] = [];
    let total = 0;
    for (let shard = 0; shard < this.manifest.shards.length && total < maxRows; shard++) {
      const rows = this.readShard(shard);
      const keep = this.selectRows(shard, rows, selection, rule).slice(0, maxRows - total);
      visit(rows.x, keep);
      ids.push(Int32Array.from(keep, (r) => this.shardStarts[shard]! + r));
      docs.push(Int32Array.from(keep, (r) => rows.docs[r]!));
      total += keep.length;
    }
    return { rows: concatInt32(ids), docs: concatInt32(docs), size: total };
  }

  /** Activations of the given store rows, [rows.length × d], in the order given. */
  readRows(rows: readonly number[]): Float32Array {
    const d = this.d;
    const out = new Float32Array(rows.length * d);
    const byShard = new Map<number, number[]>();
    rows.forEach((row, i) => {
      const shard = this.shardOf(row);
      const positions = byShard.get(shard);
      if (positions) positions.push(i);
      else byShard.set(shard, [i]);
    });
    for (const [shard, positions] of byShard) {
      const data = this.readShard(shard);
      for (const i of positions) {
        const r = rows[i]! - this.shardStarts[shard]!;
        out.set(data.x.subarray(r * d, (r + 1) * d), i * d);
      }
    }
    return out;
  }

  /** The shard holding a store row. */
  shardOf(row: number): number {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) {
      throw new Error(`Row ${row} is outside the store (0 … ${this.rows - 1}).`);
    }
    let lo = 0;
    let hi = this.shardStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shardStarts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private provenance(shard: number): ShardProvenance {
    let cached = this.provenanceCache.get(shard);
    if (!cached) {
      cached = readShardProvenance(this.dir, this.manifest.shards[shard]!, this.d, this.manifest.dtype);
      if (this.provenanceCache.size >= 8) this.provenanceCache.delete(this.provenanceCache.keys().next().value!);
      this.provenanceCache.set(shard, cached);
    }
    return cached;
  }

  /** A row's token, with up to `before` earlier and `after` later tokens of the same window, for showing examples. */
  rowContext(row: number, before = 16, after = 4): RowContext {
    const shard = this.shardOf(row);
    const p = this.provenance(shard);
    const local = row - this.shardStarts[shard]!;
    const context = this.manifest.context;
    const windowStart = local - (local % context);
    const from = Math.max(windowStart, local - before);
    const to = Math.min(windowStart + context, local + after + 1);
    const doc = p.docs[local]!;
    return {
      tokens: Array.from(p.tokens.subarray(from, to)),
      position: local - from,
      document: doc >= 0 ? (this.manifest.documents[doc] ?? null) : null,
      offset: p.offsets[local]!,
    };
  }
}

function shuffled(n: number, rng: ReturnType<typeof createRng>): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

function copyRows(x: Float32Array, keep: readonly number[], d: number): Float32Array {
  const out = new Float32Array(keep.length * d);
  for (let i = 0; i < keep.length; i++) out.set(x.subarray(keep[i]! * d, (keep[i]! + 1) * d), i * d);
  return out;
}

function gather(x: Float32Array, rows: Int32Array, picks: Int32Array, d: number): ActivationBatch {
  const out = new Float32Array(picks.length * d);
  const outRows = new Int32Array(picks.length);
  picks.forEach((p, i) => {
    out.set(x.subarray(p * d, (p + 1) * d), i * d);
    outRows[i] = rows[p]!;
  });
  return { x: out, rows: outRows, size: picks.length };
}
