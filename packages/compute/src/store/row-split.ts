import { stableUnitHash } from "../corpus/stable-hash.js";
import type { StoreManifest } from "./manifest.js";

export type RowSplit = "train" | "heldOut" | "all";

export interface RowSplitOptions {
  /** Fixes the held-out choice (default 0). */
  seed?: number;
  /** Fraction held out (default 0.1). */
  heldOutFraction?: number;
  /** Document ids always held out, e.g. those the model was not trained on. */
  heldOutIds?: readonly string[];
}

/**
 * Decides per row whether it is held out. By document (the same choice as the corpus split for the same seed) when that leaves rows on both sides (a row is held out when
 * its document is); otherwise — a single document, say — by window (`context` consecutive rows). Rows of special
 * tokens follow their window's choice in both modes.
 */
export interface HeldOutRule {
  mode: "document" | "window";
  isHeldOut(row: number, doc: number): boolean;
}

export function heldOutRule(manifest: StoreManifest, options: RowSplitOptions = {}): HeldOutRule {
  const seed = options.seed ?? 0;
  const fraction = options.heldOutFraction ?? 0.1;
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`heldOutFraction must be in [0, 1), got ${fraction}.`);
  const named = new Set(options.heldOutIds ?? []);
  const docHeldOut = manifest.documents.map((id) => named.has(id) || stableUnitHash(seed, id) < fraction);
  const heldOutDocs = docHeldOut.filter(Boolean).length;
  const windowHeldOut = (row: number): boolean =>
    stableUnitHash(seed, `window:${Math.floor(row / manifest.context)}`) < fraction;
  if (heldOutDocs > 0 && heldOutDocs < docHeldOut.length) {
    return {
      mode: "document",
      isHeldOut: (row, doc) => (doc >= 0 ? docHeldOut[doc]! : windowHeldOut(row)),
    };
  }
  return { mode: "window", isHeldOut: (row) => windowHeldOut(row) };
}

export function rowInSplit(rule: HeldOutRule, split: RowSplit, row: number, doc: number): boolean {
  if (split === "all") return true;
  return rule.isHeldOut(row, doc) === (split === "heldOut");
}
