/**
 * A resumable RowSource over an activation store: shuffled rows of one split (the training side by default),
 * epoch after epoch, served in whatever batch sizes the trainer asks for. Its position is the number of rows served,
 * so a resumed run regenerates the same seeded sequence and skips to where it stopped (bit-for-bit the same rows).
 */
import type { ActivationStore, RowSelection } from "../store/reader.js";
import type { ResumableRowSource } from "./row-source.js";

export interface StoreRowSourceOptions extends RowSelection {
  /** Fixes the shuffle (default 0). */
  shuffleSeed?: number;
  /** Rows pulled from the store at a time (default 4096). */
  chunkRows?: number;
  /** Shards shuffled together (default 4). */
  bufferShards?: number;
}

interface StoreRowSourceState {
  served: number;
}

/** Rows of `store` (split "train" unless `selection.split` says otherwise) as an endless shuffled RowSource. */
export function storeRowSource(store: ActivationStore, options: StoreRowSourceOptions = {}): ResumableRowSource {
  const d = store.d;
  const selection: StoreRowSourceOptions = { split: "train", ...options };
  const chunkRows = options.chunkRows ?? 4096;
  if (store.readAll(1, selection).size === 0) {
    throw new Error(
      `the activation store at ${store.dir} has no ${selection.split} rows; harvest more tokens or lower the held-out fraction.`,
    );
  }
  const open = () =>
    store.batches({
      ...selection,
      batchSize: chunkRows,
      shuffleSeed: options.shuffleSeed ?? 0,
      epochs: Number.MAX_SAFE_INTEGER,
      bufferShards: options.bufferShards ?? 4,
    });
  let batches = open();
  let pending: Float32Array = new Float32Array(0);
  let pendingAt = 0;
  let served = 0;

  const take = (rows: number, out: Float32Array | null): void => {
    let filled = 0;
    while (filled < rows) {
      if (pendingAt === pending.length) {
        const next = batches.next();
        if (next.done) throw new Error(`the activation store at ${store.dir} yielded no rows; check the harvest.`);
        pending = next.value.x;
        pendingAt = 0;
      }
      const n = Math.min(rows - filled, (pending.length - pendingAt) / d);
      out?.set(pending.subarray(pendingAt, pendingAt + n * d), filled * d);
      pendingAt += n * d;
      filled += n;
    }
    served += rows;
  };

  return {
    d,
    nextBatch(batchSize: number): Float32Array {
      const out = new Float32Array(batchSize * d);
      take(batchSize, out);
      return out;
    },
    state(): StoreRowSourceState {
      return { served };
    },
    restore(state: unknown): void {
      const s = state as StoreRowSourceState;
      if (!s || !Number.isInteger(s.served) || s.served < 0) {
        throw new Error("storeRowSource: the saved position is not a row count; resume with the same store.");
      }
      batches = open();
      pending = new Float32Array(0);
      pendingAt = 0;
      served = 0;
      take(s.served, null);
    },
  };
}
