/**
 * Token windows of an activation store, for LM-dependent evaluation: the store keeps every row's token id, and rows
 * come in windows of `context` consecutive rows, so a window's tokens are exactly what the model was run on.
 */
import type { ActivationStore } from "../store/reader.js";
import type { RowSplit, RowSplitOptions } from "../store/row-split.js";
import { readShardProvenance } from "../store/shard-io.js";

export interface StoreWindows {
  /** Token ids per window, each `context` long. */
  windows: number[][];
  /** The store row of each window's first token. */
  firstRows: number[];
}

/** Up to `maxWindows` complete windows whose rows all lie on `split` (default the held-out side), in store order. */
export function storeWindows(
  store: ActivationStore,
  maxWindows: number,
  options: RowSplitOptions & { split?: RowSplit } = {},
): StoreWindows {
  const { manifest } = store;
  const context = manifest.context;
  const split = options.split ?? "heldOut";
  const rule = store.heldOutRule(options);
  const out: StoreWindows = { windows: [], firstRows: [] };
  let shardStart = 0;
  for (const entry of manifest.shards) {
    if (out.windows.length >= maxWindows) break;
    const { tokens, docs } = readShardProvenance(store.dir, entry, manifest.d, manifest.dtype);
    for (let at = 0; at + context <= entry.rows && out.windows.length < maxWindows; at += context) {
      let keep = true;
      for (let r = at; r < at + context && keep; r++) {
        if (split !== "all") keep = rule.isHeldOut(shardStart + r, docs[r]!) === (split === "heldOut");
      }
      if (!keep) continue;
      out.windows.push(Array.from(tokens.subarray(at, at + context)));
      out.firstRows.push(shardStart + at);
    }
    shardStart += entry.rows;
  }
  return out;
}
