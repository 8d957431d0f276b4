import type { StudyResult } from "@interlace/compute/study";
import { checkExample, InvalidFeatureDataError, validateFeatureData } from "../feature/feature-data.validation.js";

export class InvalidStudyResultError extends Error {
  override name = "InvalidStudyResultError";
}

function fail(message: string): never {
  throw new InvalidStudyResultError(`Cannot store the study: ${message}`);
}

function finite(value: number, what: string): void {
  if (!Number.isFinite(value)) fail(`${what} is ${value}; it must be a finite number`);
}

/** Checks what the database cannot express well (finite numbers, consistent references) before anything is written. */
export function validateStudyResult(result: StudyResult): void {
  try {
    validateStudyParts(result);
  } catch (error) {
    if (error instanceof InvalidFeatureDataError) fail(error.detail);
    throw error;
  }
}

function validateStudyParts(result: StudyResult): void {
  if (!result.name.trim()) fail("name is empty");
  const indices = new Set<number>();
  for (const feature of result.features) {
    const where = `feature ${feature.index}`;
    if (!Number.isInteger(feature.index) || feature.index < 0) fail(`${where}: index must be a non-negative integer`);
    if (indices.has(feature.index)) fail(`${where} appears twice`);
    indices.add(feature.index);
    finite(feature.density, `${where} density`);
    if (feature.density < 0 || feature.density > 1) fail(`${where} density ${feature.density} is outside [0, 1]`);
    finite(feature.maxActivation, `${where} maxActivation`);
    for (const [rank, example] of feature.examples.entries()) checkExample(example, `${where} example ${rank}`);
  }
  const covered = new Set(result.featureData.map((feature) => feature.index));
  if (covered.size !== indices.size || [...indices].some((index) => !covered.has(index))) {
    fail(
      `feature data covers ${covered.size} features but the study has ${indices.size}; compute it for every feature`,
    );
  }
  validateFeatureData(result.featureData);
  const pairs = new Set<string>();
  for (const pair of result.interactions) {
    const where = `interaction (${pair.a}, ${pair.b})`;
    if (pair.a === pair.b) fail(`${where} pairs a feature with itself`);
    for (const end of [pair.a, pair.b]) {
      if (!indices.has(end)) fail(`${where} names feature ${end}, which is not among the study's features`);
    }
    const key = pair.a < pair.b ? `${pair.a}:${pair.b}` : `${pair.b}:${pair.a}`;
    if (pairs.has(key)) fail(`${where} appears twice`);
    pairs.add(key);
    finite(pair.strength, `${where} strength`);
    if (!Number.isInteger(pair.coActivations) || pair.coActivations < 0) {
      fail(`${where} coActivations must be a non-negative integer`);
    }
    for (const [name, value] of [
      ["lift", pair.lift],
      ["contribution", pair.contribution],
      ["share", pair.share],
    ] as const) {
      if (value !== null && value !== undefined) finite(value, `${where} ${name}`);
    }
    for (const value of pair.seedStrengths ?? []) finite(value, `${where} seed strength`);
    (pair.examples ?? []).forEach((example, rank) => {
      const n = example.tokens.length;
      if (example.aValues.length !== n || example.bValues.length !== n) {
        fail(`${where} example ${rank} has ${n} tokens but ${example.aValues.length}/${example.bValues.length} values`);
      }
      finite(example.contribution, `${where} example ${rank} contribution`);
      for (const value of [...example.aValues, ...example.bValues]) finite(value, `${where} example ${rank} value`);
    });
  }
  validateInspection(result, indices);
}

/** The embeddings cover every feature with K finite values; the dimensions are 0..K-1 with finite statistics. */
function validateInspection(result: StudyResult, indices: Set<number>): void {
  const inspection = result.inspection;
  if (!inspection) return;
  const k = inspection.k;
  if (!Number.isInteger(k) || k < 1) fail(`the NFM's K is ${k}; it must be a positive integer`);
  const embedded = new Set<number>();
  for (const row of inspection.embeddings) {
    const where = `embedding of feature ${row.index}`;
    if (!indices.has(row.index)) fail(`${where}: the study has no such feature`);
    if (embedded.has(row.index)) fail(`${where} appears twice`);
    embedded.add(row.index);
    if (row.values.length !== k) fail(`${where} has ${row.values.length} values; K is ${k}`);
    for (const value of row.values) finite(value, `${where} value`);
    finite(row.mass, `${where} mass`);
  }
  if (embedded.size !== indices.size) {
    fail(`embeddings cover ${embedded.size} features but the study has ${indices.size}; store V for every feature`);
  }
  inspection.dimensions.forEach((d, position) => {
    const where = `K dimension ${d.index}`;
    if (d.index !== position) fail(`${where} is listed at position ${position}; list the dimensions 0..K-1 in order`);
    for (const value of [d.l1, d.l2, d.max, d.gini, d.effectiveRank]) finite(value, `${where} statistic`);
    if (d.varianceExplained !== null) finite(d.varianceExplained, `${where} varianceExplained`);
    for (const t of d.topFeatures) finite(t.loading, `${where} loading`);
    for (const t of d.topPairs) finite(t.load, `${where} pair load`);
  });
  if (inspection.dimensions.length !== k) fail(`${inspection.dimensions.length} K dimensions listed; K is ${k}`);
}
