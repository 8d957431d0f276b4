import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const STORE_FORMAT = "interlace-activations/1";
export const MANIFEST_FILE = "manifest.json";
export const STORE_DTYPES = ["float32", "float16"] as const;
export type StoreDtype = (typeof STORE_DTYPES)[number];

/** What was harvested: a resumed harvest must ask for exactly the same. */
export interface StoreHeader {
  /** Model name as the user gave it, and its config `model_type`. */
  model: string;
  modelType: string;
  hook: string;
  d: number;
  context: number;
  /** Whether every window starts with BOS (SAELens `prepend_bos`). */
  bos: boolean;
  dtype: StoreDtype;
  corpus: string;
  /** Rows asked for. */
  tokens: number;
  /** Rows per shard (a multiple of `context`); the last shard may hold fewer. */
  rowsPerShard: number;
}

export interface ShardEntry {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Statistics over the rows that belong to a document (special-token rows excluded). */
export interface NormStats {
  rows: number;
  /** Mean L2 norm of a row: SAELens scales inputs by √d / meanNorm. */
  meanNorm: number;
  meanSquaredNorm: number;
  /** Per-dimension mean, length d. */
  mean: number[];
}

export interface StoreManifest extends StoreHeader {
  format: typeof STORE_FORMAT;
  /** Rows written in complete shards. */
  rows: number;
  complete: boolean;
  /** Document ids in the order first reached; a row's `doc` indexes this table. */
  documents: string[];
  stats: NormStats;
  shards: ShardEntry[];
  updatedAt: string;
}

export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_FILE);
}

export function readManifest(dir: string): StoreManifest | null {
  const path = manifestPath(dir);
  if (!existsSync(path)) return null;
  let manifest: StoreManifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as StoreManifest;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}): harvest again with --overwrite.`);
  }
  if (manifest.format !== STORE_FORMAT) {
    throw new Error(`${path} is not an Interlace activation store (format ${JSON.stringify(manifest.format)}).`);
  }
  return manifest;
}

/** Replaces the manifest atomically: written under a temporary name, then renamed. */
export function writeManifest(dir: string, manifest: StoreManifest): void {
  const path = manifestPath(dir);
  const temp = `${path}.partial`;
  writeFileSync(temp, `${JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() })}\n`);
  renameSync(temp, path);
}
