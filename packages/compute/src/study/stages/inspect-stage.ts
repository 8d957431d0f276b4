import type { Tokenizer } from "../../lm/types.js";
import { CoActivationIndex, type Embedding, embeddingOf, type InteractionPair, topPairs } from "../../nfm/inspect.js";
import { dimensionVarianceExplained, kDimensionStats } from "../../nfm/k-dimensions.js";
import type { ResidualModel } from "../../nfm/model.js";
import {
  type InspectedPair,
  inspectPairs,
  interactionMass,
  interactionOutputNorms,
  storedPairCandidates,
} from "../../nfm/pair-inspection.js";
import { pairSeeds, seedAgreement } from "../../nfm/pair-replication.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import { spearman } from "../../stats/rank-correlation.js";
import type { ActivationStore } from "../../store/reader.js";
import { summariseFeatures } from "../feature-summaries.js";
import type {
  FeatureSummary,
  InteractionInspectionData,
  InteractionPairData,
  KDimensionData,
  PairExampleData,
} from "../types.js";
import type { StudyContext } from "./context.js";
import type { StudyRows } from "./rows.js";

/** Held-out rows the per-dimension share of the interaction output is measured on (evenly spaced). */
const VARIANCE_ROWS = 1024;
/** Top pairs compared across seeds (overlap@50). */
const REPLICATION_TOP = 50;

export interface InspectStageResult {
  /** The strongest pairs co-active on training rows (for the report). */
  pairs: InteractionPair[];
  features: FeatureSummary[];
  /** The pairs the study stores, measured on held-out rows (see storedPairCandidates). */
  stored: InteractionPairData[];
  inspection: InteractionInspectionData;
}

/**
 * The full NFM's pairs, K dimensions, embeddings and replication across seeds, and every feature's density and
 * activation examples. Stored pairs: the `topPairs` pairs with the largest |strength| and the `topPairs` pairs
 * co-active on held-out rows with the largest |strength|.
 */
export function inspectStage(
  context: StudyContext,
  rows: StudyRows,
  data: ResidualData,
  fullSeeds: readonly ResidualModel[],
  store: ActivationStore,
  tokenizer: Tokenizer,
): InspectStageResult {
  const s = context.settings;
  const fullModel = fullSeeds[0]!;
  const e = embeddingOf(fullModel);
  const coActivation = new CoActivationIndex(data, rows.trainRows);
  const pairs = topPairs(e, { count: s.topPairs, coActivation, supportedOnly: true });
  const source = {
    context: (row: number) => store.rowContext(row, 12, 4),
    tokenString: (id: number) => tokenizer.tokenString(id),
  };
  const features = summariseFeatures({
    data,
    storeRows: rows.storeRows,
    densityRows: rows.heldOutRows,
    context: s.context,
    examplesPerFeature: s.examplesPerFeature,
    source,
  });
  const heldOut = rows.heldOutRows;
  const heldOutIndex = new CoActivationIndex(data, heldOut);
  const candidates = storedPairCandidates(e, heldOutIndex, s.topPairs);
  const inspected = inspectPairs(fullModel, data, e, candidates, {
    rows: heldOut,
    index: heldOutIndex,
    outputNorms: interactionOutputNorms(fullModel, data, heldOut),
  });
  const embeddings = fullSeeds.map(embeddingOf);
  const seeds = pairSeeds(embeddings, candidates, s.topPairs);
  const examplesOf = pairExamples(rows, data, source);
  const stored = inspected.map((p, i) => ({
    a: p.a,
    b: p.b,
    strength: p.strength,
    coActivations: p.coActivations,
    lift: p.lift,
    contribution: p.contribution,
    contributionRows: p.contributionRows,
    share: p.share,
    seedStrengths: seeds[i]!.strengths,
    replicatedSeeds: seeds[i]!.seeds,
    examples: examplesOf(p),
  }));
  const varianceRows = Int32Array.from(
    { length: Math.min(VARIANCE_ROWS, heldOut.length) },
    (_, i) => heldOut[Math.floor((i * heldOut.length) / Math.min(VARIANCE_ROWS, heldOut.length))]!,
  );
  const variance = dimensionVarianceExplained(fullModel, data.batch(varianceRows).f, varianceRows.length);
  const supported = inspected.filter((p) => p.supported && p.lift !== null);
  const mass = interactionMass(e);
  return {
    pairs,
    features,
    stored,
    inspection: {
      k: e.k,
      embeddings: Array.from({ length: e.dSae }, (_, i) => ({
        index: i,
        values: Array.from(e.v.subarray(i * e.k, (i + 1) * e.k)),
        mass: mass[i]!,
      })),
      dimensions: dimensions(e, inspected, variance),
      cooccurrence: {
        spearman: spearman(
          supported.map((p) => Math.abs(p.strength)),
          supported.map((p) => p.lift!),
        ),
        pairs: supported.length,
      },
      replication: {
        top: REPLICATION_TOP,
        depth: s.topPairs,
        seeds: seedAgreement(embeddings, REPLICATION_TOP).map((a) => ({ ...a, seed: s.seeds[a.seed] ?? a.seed })),
        supported: seedAgreement(embeddings, REPLICATION_TOP, heldOutIndex).map((a) => ({
          ...a,
          seed: s.seeds[a.seed] ?? a.seed,
        })),
      },
    },
  };
}

function dimensions(e: Embedding, pairs: readonly InspectedPair[], variance: Float64Array): KDimensionData[] {
  return kDimensionStats(e, 20).map((d) => {
    const loads = pairs.map((p) => ({ a: p.a, b: p.b, load: e.v[p.a * e.k + d.index]! * e.v[p.b * e.k + d.index]! }));
    loads.sort((x, y) => Math.abs(y.load) - Math.abs(x.load));
    return { ...d, varianceExplained: variance[d.index] ?? null, topPairs: loads.slice(0, 10) };
  });
}

/** The contexts of a pair's top rows, with both features' activation on each token of the context. */
function pairExamples(
  rows: StudyRows,
  data: ResidualData,
  source: { context: (row: number) => { tokens: number[]; position: number }; tokenString: (id: number) => string },
): (pair: InspectedPair) => PairExampleData[] {
  const loadedOf = new Map<number, number>();
  for (let row = 0; row < rows.storeRows.length; row++) loadedOf.set(rows.storeRows[row]!, row);
  const valueAt = (row: number | undefined, feature: number): number => {
    if (row === undefined) return 0;
    const { index, value } = data.activeFeatures(row);
    const at = index.indexOf(feature);
    return at >= 0 ? value[at]! : 0;
  };
  return (pair) =>
    pair.topRows.map(({ row, contribution }) => {
      const storeRow = rows.storeRows[row]!;
      const { tokens, position } = source.context(storeRow);
      const loaded = tokens.map((_, i) => loadedOf.get(storeRow - position + i));
      return {
        tokens: tokens.map((id) => source.tokenString(id)),
        aValues: loaded.map((r) => valueAt(r, pair.a)),
        bValues: loaded.map((r) => valueAt(r, pair.b)),
        contribution,
      };
    });
}
