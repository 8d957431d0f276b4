import { concatFloat32, concatInt32 } from "../../io/concat.js";
import type { ActivationStore } from "../../store/reader.js";
import type { StudySettings } from "../options.js";

/** The study's rows: training rows first, then held-out rows, as the SAE and every model of the error see them. */
export interface StudyRows {
  d: number;
  /** Training activations [train, d] (what the SAE trains on). */
  trainX: Float32Array;
  /** Held-out activations [heldOut, d] (what the SAE is evaluated on). */
  heldOutX: Float32Array;
  /** Both, training first: [train + heldOut, d]. */
  x: Float32Array;
  /** Each row's index in the activation store, in the order of `x`. */
  storeRows: Int32Array;
  /** Indices into `x` of the training and of the held-out rows. */
  trainRows: Int32Array;
  heldOutRows: Int32Array;
  /** One cluster id per held-out row (its context window), for cluster-bootstrap CIs. */
  groups: Int32Array;
  /** The split as the report records it. */
  split: { train: number; held_out: number; held_out_windows: number; split_mode: string };
}

/** The held-out split every study uses (by document when the store has several, else by window). */
export function studySplit(settings: Pick<StudySettings, "heldOutFraction">) {
  return { seed: 0, heldOutFraction: settings.heldOutFraction };
}

/** Which store rows are the study's held-out rows: the held-out side of its split, up to its token count. */
export function studyHeldOut(settings: Pick<StudySettings, "heldOutFraction" | "tokens">) {
  return { selection: { ...studySplit(settings), split: "heldOut" as const }, maxRows: settings.tokens };
}

/** Reads the study's training and held-out rows from its store; fails when either side is empty. */
export function readStudyRows(store: ActivationStore, settings: StudySettings): StudyRows {
  const split = studySplit(settings);
  const train = store.readAll(settings.tokens, { ...split, split: "train" });
  const heldOut = store.readAll(settings.tokens, { ...split, split: "heldOut" });
  if (train.size === 0 || heldOut.size === 0) {
    throw new Error(
      `the held-out split left ${train.size} training and ${heldOut.size} held-out rows: harvest more tokens (--tokens).`,
    );
  }
  const groups = Int32Array.from(heldOut.rows, (row) => Math.floor(row / settings.context));
  return {
    d: store.d,
    trainX: train.x,
    heldOutX: heldOut.x,
    x: concatFloat32([train.x, heldOut.x]),
    storeRows: concatInt32([train.rows, heldOut.rows]),
    trainRows: Int32Array.from({ length: train.size }, (_, i) => i),
    heldOutRows: Int32Array.from({ length: heldOut.size }, (_, i) => train.size + i),
    groups,
    split: {
      train: train.size,
      held_out: heldOut.size,
      held_out_windows: new Set(groups).size,
      split_mode: store.heldOutRule(split).mode,
    },
  };
}
