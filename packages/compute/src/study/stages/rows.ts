import { stableUnitHash } from "../../corpus/stable-hash.js";
import { concatInt32 } from "../../io/concat.js";
import type { ActivationStore } from "../../store/reader.js";
import { sharedFloat32 } from "../../workers/shared-arrays.js";
import type { StudySettings } from "../options.js";

/** The three-way split as `split.json` records it: document names, or context-window ids in window mode. */
export type SplitFile =
  | { mode: "document"; train: string[]; validation: string[]; held_out: string[] }
  | { mode: "window"; context: number; train: number[]; validation: number[]; held_out: number[] };

/** The study's rows: the non-held-out rows first (train and validation), then held-out rows. */
export interface StudyRows {
  d: number;
  /** Non-held-out activations [train + validation, d] (what the SAE trains on). */
  trainX: Float32Array;
  /** Held-out activations [heldOut, d] (what the SAE is evaluated on). */
  heldOutX: Float32Array;
  /** Both, non-held-out first: [train + validation + heldOut, d]. */
  x: Float32Array;
  /** Each row's index in the activation store, in the order of `x`. */
  storeRows: Int32Array;
  /** Indices into `x` of the rows every model of the error is fitted on, chosen on, and evaluated on. */
  trainRows: Int32Array;
  validationRows: Int32Array;
  heldOutRows: Int32Array;
  /** One cluster id per held-out row (its context window), for cluster-bootstrap CIs. */
  groups: Int32Array;
  /** The split as the report records it. */
  split: { train: number; validation: number; held_out: number; held_out_windows: number; split_mode: string };
  /** The split as `split.json` records it. */
  file: SplitFile;
}

/** The held-out split every study uses (by document when the store has several, else by window). */
export function studySplit(settings: Pick<StudySettings, "heldOutFraction">) {
  return { seed: 0, heldOutFraction: settings.heldOutFraction };
}

/** Which store rows are the study's held-out rows: the held-out side of its split, up to its token count. */
export function studyHeldOut(settings: Pick<StudySettings, "heldOutFraction" | "tokens">) {
  return { selection: { ...studySplit(settings), split: "heldOut" as const }, maxRows: settings.tokens };
}

/** Seed of the validation choice (apart from the held-out choice's seed 0). */
const VALIDATION_SEED = 1;

/**
 * The validation groups among `groups` (document names or window ids): a `fraction` of them, at least one and never
 * all, ordered by a stable hash so the same store always gives the same choice.
 */
function validationGroups<T extends string | number>(groups: readonly T[], fraction: number): Set<T> {
  const ranked = [...groups].sort(
    (a, b) => stableUnitHash(VALIDATION_SEED, String(a)) - stableUnitHash(VALIDATION_SEED, String(b)),
  );
  const count = Math.min(groups.length - 1, Math.max(1, Math.round(fraction * groups.length)));
  return new Set(ranked.slice(0, count));
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/**
 * Reads the study's rows from its store; the held-out side is the store's held-out rule (unchanged), the validation
 * rows are taken from the other side: by document when it has at least two documents, else by context window. The
 * validation share of that side equals the held-out fraction. Fails when a group would be empty.
 */
export function readStudyRows(store: ActivationStore, settings: StudySettings): StudyRows {
  const split = studySplit(settings);
  // One copy of the activations, in shared memory (the interaction study's worker threads read it in place), read
  // straight from the store: the non-held-out rows, then the held-out rows.
  const d = store.d;
  const capacity = Math.min(store.rows, 2 * settings.tokens);
  const all = sharedFloat32(capacity * d);
  const train = store.readInto(all, 0, settings.tokens, { ...split, split: "train" });
  const heldOut = store.readInto(all, train.size, settings.tokens, { ...split, split: "heldOut" });
  const x = train.size + heldOut.size === capacity ? all : all.subarray(0, (train.size + heldOut.size) * d);
  const windowOf = (row: number) => Math.floor(row / settings.context);
  const names = store.manifest.documents;
  const trainDocs = unique(train.docs).filter((doc) => doc >= 0);
  const byDocument = store.heldOutRule(split).mode === "document" && trainDocs.length >= 2;
  const trainWindows = unique(Array.from(train.rows, windowOf));
  const fraction = Math.max(settings.heldOutFraction, 0.05);
  const isValidation: (i: number) => boolean = byDocument
    ? (
        (chosen) => (i) =>
          chosen.has(train.docs[i]!)
      )(validationGroups(trainDocs, fraction))
    : (
        (chosen) => (i) =>
          chosen.has(windowOf(train.rows[i]!))
      )(validationGroups(trainWindows, fraction));
  const fitRows: number[] = [];
  const validationRows: number[] = [];
  for (let i = 0; i < train.size; i++) (isValidation(i) ? validationRows : fitRows).push(i);
  if (fitRows.length === 0 || validationRows.length === 0 || heldOut.size === 0) {
    throw new Error(
      `the split left ${fitRows.length} training, ${validationRows.length} validation and ${heldOut.size} held-out rows: harvest more tokens (--tokens).`,
    );
  }
  const groups = Int32Array.from(heldOut.rows, windowOf);
  const nonHeldOut = train.size;
  const file: SplitFile = byDocument
    ? {
        mode: "document",
        train: unique(fitRows.map((i) => train.docs[i]!)).map((doc) => names[doc]!),
        validation: unique(validationRows.map((i) => train.docs[i]!)).map((doc) => names[doc]!),
        held_out: unique(Array.from(heldOut.docs).filter((doc) => doc >= 0)).map((doc) => names[doc]!),
      }
    : {
        mode: "window",
        context: settings.context,
        train: unique(fitRows.map((i) => windowOf(train.rows[i]!))),
        validation: unique(validationRows.map((i) => windowOf(train.rows[i]!))),
        held_out: unique(groups),
      };
  return {
    d,
    trainX: x.subarray(0, train.size * d),
    heldOutX: x.subarray(train.size * d),
    x,
    storeRows: concatInt32([train.rows, heldOut.rows]),
    trainRows: Int32Array.from(fitRows),
    validationRows: Int32Array.from(validationRows),
    heldOutRows: Int32Array.from({ length: heldOut.size }, (_, i) => nonHeldOut + i),
    groups,
    split: {
      train: fitRows.length,
      validation: validationRows.length,
      held_out: heldOut.size,
      held_out_windows: new Set(groups).size,
      split_mode: file.mode,
    },
    file,
  };
}
