import type { Corpus } from "../corpus/types.js";
import { parseHookName } from "../lm/forward.js";
import type { LanguageModel } from "../lm/types.js";
import { ProgressTracker } from "../progress/tracker.js";
import type { ProgressCallback } from "../progress/types.js";
import { yieldToEventLoop } from "../progress/yield-to-event-loop.js";
import type { StoreDtype, StoreManifest } from "../store/manifest.js";
import type { ShardRows } from "../store/shard-format.js";
import { bytesPerValue } from "../store/shard-format.js";
import { ActivationStoreWriter } from "../store/writer.js";
import { cutWindows, type TokenWindow } from "./windows.js";

export interface HarvestOptions {
  model: LanguageModel;
  /** Recorded in the manifest (default: model.info.name). A resumed harvest must give the same. */
  modelName?: string;
  /** e.g. `blocks.3.hook_resid_post` */
  hook: string;
  corpus: Corpus;
  /** Rows (token positions) to harvest. */
  tokens: number;
  /** Tokens per window. */
  context: number;
  /** Start every window with BOS (SAELens `prepend_bos`); default false. */
  bos?: boolean;
  /** Stored precision (default float32). */
  dtype?: StoreDtype;
  /** The store's folder. */
  out: string;
  /** Windows per forward pass (default 8). */
  batchSize?: number;
  /** Approximate bytes of activations per shard (default 64 MiB); shards hold whole windows. */
  shardBytes?: number;
  /** Replace an existing store in `out` instead of resuming it. */
  overwrite?: boolean;
  onProgress?: ProgressCallback;
  /** Aborting stops after the current batch; complete shards stay and a later call resumes from them. */
  signal?: AbortSignal;
}

export interface HarvestResult {
  manifest: StoreManifest;
  /** Rows found complete in `out` and not harvested again. */
  resumedRows: number;
  /** Rows harvested by this call. */
  harvestedRows: number;
  seconds: number;
  /** Harvested rows per second in this call. */
  tokensPerSecond: number;
  /** True when the corpus ended before `tokens` rows: the store holds fewer. */
  corpusExhausted: boolean;
}

/** Rows per shard: whole windows, about `targetBytes` of activations. */
export function rowsPerShardFor(context: number, d: number, dtype: StoreDtype, targetBytes: number): number {
  const windowBytes = context * d * bytesPerValue(dtype);
  return Math.max(1, Math.floor(targetBytes / windowBytes)) * context;
}

function windowsToRows(windows: readonly TokenWindow[], x: Float32Array, count: number, d: number): ShardRows {
  const context = windows[0]?.tokens.length ?? 0;
  const tokens = new Int32Array(count);
  const docs = new Int32Array(count);
  const offsets = new Int32Array(count);
  windows.forEach((w, i) => {
    const at = i * context;
    if (at >= count) return;
    const n = Math.min(context, count - at);
    tokens.set(w.tokens.slice(0, n), at);
    docs.set(w.docs.subarray(0, n), at);
    offsets.set(w.offsets.subarray(0, n), at);
  });
  return { x: x.subarray(0, count * d), tokens, docs, offsets };
}

/** The error a cancelled harvest throws; `cause` is the signal's reason. */
function cancelled(signal: AbortSignal | undefined): Error {
  const error = new Error(
    "Harvest cancelled: its complete shards are kept; run it again with the same settings to resume.",
    { cause: signal?.reason },
  );
  error.name = "AbortError";
  return error;
}

/**
 * Runs the model over corpus windows and streams the activations at one hook into an activation store. Memory holds
 * one batch of windows and one shard's provenance, whatever `tokens` is. Resumes a store left by a killed or
 * cancelled run with the same settings from its last complete shard.
 */
export async function harvest(options: HarvestOptions): Promise<HarvestResult> {
  const { model, hook, corpus, tokens, context, out, signal } = options;
  const bos = options.bos ?? false;
  const dtype = options.dtype ?? "float32";
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(tokens) || tokens < 1) throw new Error(`tokens must be a positive integer, got ${tokens}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be ≥ 1, got ${batchSize}.`);
  if (context > model.info.maxPositions) {
    throw new Error(`context ${context} exceeds the model's ${model.info.maxPositions} positions: lower --context.`);
  }
  const { layer } = parseHookName(hook, model.info.nLayers);
  const d = model.info.dModel;
  const writer = ActivationStoreWriter.open(
    out,
    {
      model: options.modelName ?? model.info.name,
      modelType: model.info.modelType,
      hook,
      d,
      context,
      bos,
      dtype,
      corpus: corpus.name,
      tokens,
      rowsPerShard: rowsPerShardFor(context, d, dtype, options.shardBytes ?? 64 * 2 ** 20),
    },
    { overwrite: options.overwrite },
  );
  const resumedRows = writer.committedRows;
  const tracker = new ProgressTracker({
    label: "harvest",
    total: tokens,
    unit: "tokens",
    startDone: resumedRows,
    onProgress: options.onProgress,
  });
  const started = performance.now();
  if (writer.complete) {
    tracker.finish();
    return {
      manifest: writer.finish(),
      resumedRows,
      harvestedRows: 0,
      seconds: 0,
      tokensPerSecond: 0,
      corpusExhausted: resumedRows < tokens,
    };
  }

  const documents: string[] = [];
  writer.setDocuments(documents);
  const skipWindows = resumedRows / context;
  let done = resumedRows;
  let windowIndex = 0;
  let batch: TokenWindow[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = model.forward(
      batch.map((w) => w.tokens),
      { hooks: [hook], logits: false, stopAtLayer: layer },
    );
    let x: Float32Array;
    try {
      const activation = result.hooks[hook];
      if (!activation) throw new Error(`The model returned no activation for hook ${hook}.`);
      x = (await activation.data()) as Float32Array;
    } finally {
      for (const tensor of Object.values(result.hooks)) tensor.dispose();
      result.logits?.dispose();
    }
    const count = Math.min(batch.length * context, tokens - done);
    const rows = windowsToRows(batch, x, count, d);
    writer.append(rows, count, (r) => rows.docs[r]! >= 0);
    done += count;
    batch = [];
    tracker.update(done);
    await yieldToEventLoop();
  };

  try {
    for await (const window of cutWindows(corpus, model.tokenizer, { context, bos }, documents)) {
      if (signal?.aborted) throw cancelled(signal);
      if (windowIndex++ < skipWindows) continue;
      if (windowIndex === skipWindows + 1) checkSameDocuments(writer.savedDocuments, documents, out);
      batch.push(window);
      if (batch.length === batchSize || done + batch.length * context >= tokens) await flush();
      if (done >= tokens) break;
    }
    if (signal?.aborted) throw cancelled(signal);
    await flush();
  } catch (error) {
    writer.close();
    throw error;
  }
  const manifest = writer.finish();
  tracker.finish();
  const seconds = (performance.now() - started) / 1000;
  return {
    manifest,
    resumedRows,
    harvestedRows: done - resumedRows,
    seconds,
    tokensPerSecond: seconds > 0 ? (done - resumedRows) / seconds : 0,
    corpusExhausted: done < tokens,
  };
}

/** A resumed harvest must see the same documents in the same order as the run that wrote the complete shards. */
function checkSameDocuments(saved: readonly string[], current: readonly string[], out: string): void {
  const n = Math.min(saved.length, current.length);
  for (let i = 0; i < n; i++) {
    if (saved[i] !== current[i]) {
      throw new Error(
        `The corpus changed since the harvest in ${out} began (document ${i} was "${saved[i]}", now "${current[i]}"): ` +
          "harvest again with --overwrite.",
      );
    }
  }
}
