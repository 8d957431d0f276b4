export { fileSha256 } from "./checksum.js";
export { CorruptShardError } from "./errors.js";
export {
  MANIFEST_FILE,
  type NormStats,
  readManifest,
  type ShardEntry,
  STORE_DTYPES,
  STORE_FORMAT,
  type StoreDtype,
  type StoreHeader,
  type StoreManifest,
} from "./manifest.js";
export {
  type ActivationBatch,
  ActivationStore,
  type BatchOptions,
  type RowContext,
  type RowSelection,
  type ScannedShard,
} from "./reader.js";
export { type HeldOutRule, heldOutRule, type RowSplit, type RowSplitOptions } from "./row-split.js";
export { type ShardRows, shardFileName } from "./shard-format.js";
export { ActivationStoreWriter, type OpenStoreWriterOptions } from "./writer.js";
