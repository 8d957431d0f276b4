/**
 * Trains a small GPT-2 from scratch on a corpus (default: the State of the Union addresses) and saves it in
 * Hugging Face layout, so the rest of Interlace has a model with no download: GPT-2's byte-level BPE cut to its
 * first N merges, AdamW with warm-up and cosine decay, a time and/or step budget, and a held-out loss curve.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import type { BackendPreference } from "../backend-preference.js";
import { openCorpus } from "../corpus/open-corpus.js";
import type { Corpus } from "../corpus/types.js";
import { loadTokenizer } from "../lm/tokenizer.js";
import type { ProgressCallback } from "../progress/types.js";
import { yieldToEventLoop } from "../progress/yield-to-event-loop.js";
import { createRng } from "../stats/rng.js";
import { Adam } from "../train/adam.js";
import { isCheckpointFile } from "../train/checkpoint.js";
import { globalNorm } from "../train/clip.js";
import { cosineLr } from "./cosine-schedule.js";
import { type DemoTrainingIdentity, resumableCheckpoint, writeDemoCheckpoint } from "./demo-checkpoint.js";
import { type CurvePoint, checkShape, type Gpt2Shape, type TrainingRecord } from "./demo-config.js";
import { cutGpt2Bpe } from "./gpt2-bpe.js";
import { decayedNames, disposeParams, type Gpt2Params, initGpt2Params, namedParams } from "./gpt2-params.js";
import { windowBatch, windowLoss } from "./gpt2-train-forward.js";
import { checkOutput, discard, publish, stagingDir } from "./save-model.js";
import { evenWindows, randomWindows, tokenStreams } from "./token-data.js";
import { causalMask } from "./train-ops.js";
import { writeModelFiles, writeTokenizerFiles } from "./write-gpt2-model.js";

export interface DemoModelSize {
  nLayers: number;
  dModel: number;
  nHeads: number;
  context: number;
}

export const DEFAULT_DEMO_SIZE: DemoModelSize = { nLayers: 4, dModel: 128, nHeads: 4, context: 128 };

export interface TrainDemoModelOptions {
  /** A corpus name as `interlace` takes it (`sotu`, a folder of .txt files, …) or an opened corpus. */
  corpus: string | Corpus;
  /** The model folder to write (Hugging Face layout). */
  out: string;
  /** Wall-clock budget for the training loop (default 8 when `steps` is not given). */
  minutes?: number;
  /** Optimiser steps (with `minutes` too, training stops at whichever comes first). */
  steps?: number;
  /** BPE merges kept from GPT-2's 50,000 (default 8,000: vocabulary 8,257). */
  merges?: number;
  seed?: number;
  size?: Partial<DemoModelSize>;
  /** Windows per step (default 16). */
  batchSize?: number;
  /** Peak learning rate (default 2e-3), reached after a warm-up and decayed by a cosine to a tenth. */
  lr?: number;
  /** AdamW decoupled weight decay on the matrices (default 0.1). */
  weightDecay?: number;
  /** Global gradient-norm clip (default 1). */
  clipNorm?: number;
  /** Fraction of documents held out (default 0.05). */
  heldOutFraction?: number;
  /** Held-out windows evaluated at each curve point (default 64). */
  evalWindows?: number;
  /** Points on the held-out loss curve after the initial one (default 10). */
  evalPoints?: number;
  /** Replace a model already in `out`. */
  overwrite?: boolean;
  onProgress?: ProgressCallback;
  /** Called with each point of the held-out loss curve as it is measured. */
  onEval?: (point: CurvePoint) => void;
  /** Stops training before the next step (with checkpointEvery, after writing a checkpoint to resume from). */
  signal?: AbortSignal;
  /** Steps between training checkpoints written into `out` (none when absent); one is also written when `signal`
   *  stops training, so an interrupted run loses nothing. The finished model replaces them. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `out` when it was written with the same settings; otherwise start over and say
   *  why through onLog. */
  resume?: boolean;
  /** Messages about the run as a whole: a checkpoint resumed or set aside. */
  onLog?: (message: string) => void;
  /** The backend preference to start when no backend runs yet (the app's configured one). */
  backend: BackendPreference;
}

export interface TrainDemoModelResult {
  dir: string;
  /** Final held-out cross-entropy (nats per token). */
  valLoss: number;
  curve: CurvePoint[];
  steps: number;
  tokensSeen: number;
  seconds: number;
}

function positive(name: string, value: number, integer: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? "integer" : "number"}, got ${value}.`);
  }
  return value;
}

/** Mean next-token loss over held-out windows [count][context + 1], in batches of `batchSize`. */
export function heldOutLoss(params: Gpt2Params, windows: Int32Array, batchSize: number, mask: tf.Tensor3D): number {
  const width = params.shape.context + 1;
  const count = windows.length / width;
  let total = 0;
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    const batch = windowBatch(windows.subarray(start * width, (start + rows) * width), rows);
    try {
      total += rows * tf.tidy(() => windowLoss(params, batch, mask).dataSync()[0]!);
    } finally {
      tf.dispose([batch.inputs, batch.targets]);
    }
  }
  return total / count;
}

interface StepResult {
  loss: number;
}

function trainStep(
  params: Gpt2Params,
  adam: Adam,
  tokens: Int32Array,
  batchSize: number,
  mask: tf.Tensor3D,
  lr: number,
  decay: { names: readonly string[]; rate: number },
  clipNorm: number,
): StepResult {
  const named = namedParams(params);
  const batch = windowBatch(tokens, batchSize);
  const { value, grads } = tf.variableGrads(() => windowLoss(params, batch, mask), Object.values(named));
  try {
    const loss = value.dataSync()[0]!;
    if (!Number.isFinite(loss)) {
      throw new Error(`training diverged (loss ${loss}); lower the learning rate (lr) or the batch size.`);
    }
    const byName: Record<string, tf.Tensor> = {};
    for (const [name, variable] of Object.entries(named)) byName[name] = grads[variable.name]!;
    const scale = tf.tidy(() => tf.minimum(1, tf.div(clipNorm, tf.add(globalNorm(byName), 1e-6))) as tf.Scalar);
    tf.tidy(() => {
      for (const name of decay.names) named[name]!.assign(tf.mul(named[name]!, 1 - lr * decay.rate));
    });
    adam.apply(byName, lr, scale);
    scale.dispose();
    return { loss };
  } finally {
    tf.dispose([value, batch.inputs, batch.targets, ...Object.values(grads)]);
  }
}

function corpusOf(spec: string | Corpus): Corpus {
  return typeof spec === "string" ? openCorpus(spec) : spec;
}

/** Trains the demo model and writes it to `options.out` (atomically). */
export async function trainDemoModel(options: TrainDemoModelOptions): Promise<TrainDemoModelResult> {
  const size = { ...DEFAULT_DEMO_SIZE, ...options.size };
  const merges = options.merges ?? 8000;
  const seed = options.seed ?? 0;
  const batchSize = positive("batchSize", options.batchSize ?? 16, true);
  const lr = positive("lr", options.lr ?? 2e-3, false);
  const weightDecay = options.weightDecay ?? 0.1;
  const clipNorm = positive("clipNorm", options.clipNorm ?? 1, false);
  const heldOutFraction = options.heldOutFraction ?? 0.05;
  const evalWindowCount = positive("evalWindows", options.evalWindows ?? 64, true);
  const evalPoints = positive("evalPoints", options.evalPoints ?? 10, true);
  const steps = options.steps === undefined ? undefined : positive("steps", options.steps, true);
  const minutes = options.minutes ?? (steps === undefined ? 8 : undefined);
  const budgetMs = minutes === undefined ? undefined : positive("minutes", minutes, false) * 60_000;
  const checkpointEvery =
    options.checkpointEvery === undefined ? 0 : positive("checkpointEvery", options.checkpointEvery, true);
  const bpe = cutGpt2Bpe(merges);
  const shape: Gpt2Shape = { ...size, vocabSize: bpe.endOfTextId + 1 };
  checkShape(shape);
  const resume = options.resume === true;
  checkOutput(options.out, options.overwrite === true, resume ? isCheckpointFile : () => false);
  const corpus = corpusOf(options.corpus);
  const identity: DemoTrainingIdentity = {
    corpus: corpus.name,
    merges,
    seed,
    size,
    batchSize,
    lr,
    weightDecay,
    clipNorm,
    heldOutFraction,
    evalWindows: evalWindowCount,
    evalPoints,
    steps: steps ?? null,
    minutes: minutes ?? null,
  };

  await initBackend(options.backend);
  const staging = stagingDir(options.out);
  let params: Gpt2Params | null = null;
  let adam: Adam | null = null;
  const mask = causalMask(size.context);
  try {
    writeTokenizerFiles(staging, bpe, size.context);
    const tokenizer = loadTokenizer(staging);
    const streams = await tokenStreams(corpus, tokenizer, { seed, heldOutFraction, endOfTextId: bpe.endOfTextId });
    const width = size.context + 1;
    const evalWindows = evenWindows(streams.heldOut, evalWindowCount, width);

    params = initGpt2Params(shape, seed);
    const named = namedParams(params);
    adam = new Adam(named, { beta1: 0.9, beta2: 0.95 });
    const { checkpoint, setAside } = resume
      ? resumableCheckpoint(options.out, identity, Object.keys(named))
      : { checkpoint: null, setAside: null };
    if (setAside) options.onLog?.(`training the model from the start: ${setAside}`);
    if (checkpoint) {
      tf.tidy(() => {
        for (const [name, variable] of Object.entries(named)) {
          variable.assign(tf.tensor(checkpoint.params[name]!, variable.shape));
        }
      });
      adam.importState(checkpoint.adam);
      options.onLog?.(`resuming the model's training at step ${checkpoint.position.step} from its checkpoint`);
    }
    const position = checkpoint?.position;
    const decay = { names: decayedNames(params), rate: weightDecay };
    const schedule = { lr, lrEnd: lr / 10, warmup: 0.05 };
    // The training windows' generator (mulberry32 seeded with seed + 1), with a state to checkpoint.
    const windowsRng = createRng(seed + 1, position?.rngState ?? (seed + 1) >>> 0);
    const random = windowsRng.next;
    const curve: CurvePoint[] = position ? [...position.curve] : [];
    const started = performance.now() - (position?.elapsedMs ?? 0);
    const elapsed = () => performance.now() - started;
    const progressOf = (step: number) =>
      Math.max(steps === undefined ? 0 : step / steps, budgetMs === undefined ? 0 : elapsed() / budgetMs);
    const startStep = position?.step ?? 0;
    let step = startStep;
    let lossSum = position?.lossSum ?? 0;
    let lossCount = position?.lossCount ?? 0;
    let nextPoint = position?.nextPoint ?? 1;
    const saveCheckpoint = () =>
      writeDemoCheckpoint(options.out, named, adam!.exportState(), identity, {
        step,
        elapsedMs: elapsed(),
        rngState: windowsRng.state(),
        curve,
        lossSum,
        lossCount,
        nextPoint,
      });
    const stepTokens = batchSize * size.context;
    const record = (trainLoss: number | null) => {
      const point: CurvePoint = {
        step,
        tokens: step * stepTokens,
        seconds: Math.round(elapsed()) / 1000,
        train_loss: trainLoss,
        val_loss: heldOutLoss(params!, evalWindows, batchSize, mask),
      };
      curve.push(point);
      options.onEval?.(point);
    };
    if (!position) record(null);
    let lastReport = Number.NEGATIVE_INFINITY;
    const report = (finished: boolean) => {
      const seconds = elapsed() / 1000;
      const rate = step / Math.max(seconds, 1e-9);
      const byTime = budgetMs === undefined ? Number.POSITIVE_INFINITY : Math.round((rate * budgetMs) / 1000);
      const planned = finished ? step : Math.max(step, Math.min(steps ?? Number.POSITIVE_INFINITY, byTime));
      const total = Number.isFinite(planned) ? planned : step;
      options.onProgress?.({
        label: "train-lm",
        done: step * stepTokens,
        total: total * stepTokens,
        unit: "tokens",
        ratePerSecond: rate * stepTokens,
        etaSeconds: finished ? 0 : step > 0 && rate > 0 ? Math.max(0, (total - step) / rate) : null,
        elapsedSeconds: seconds,
        finished,
      });
    };
    while (progressOf(step) < 1) {
      if (options.signal?.aborted) {
        if (checkpointEvery > 0 && step > startStep) saveCheckpoint();
        throw new Error(
          checkpointEvery > 0 && step > 0
            ? `train-lm was cancelled at step ${step}; its checkpoint in ${options.out} lets a resumed run continue.`
            : "train-lm was cancelled; nothing was saved.",
        );
      }
      const tokens = randomWindows(streams.train, batchSize, width, random);
      const { loss } = trainStep(
        params,
        adam,
        tokens,
        batchSize,
        mask,
        cosineLr(progressOf(step), schedule),
        decay,
        clipNorm,
      );
      step++;
      lossSum += loss;
      lossCount++;
      const progress = progressOf(step);
      if (progress >= nextPoint / evalPoints || progress >= 1) {
        record(lossSum / lossCount);
        lossSum = 0;
        lossCount = 0;
        while (nextPoint / evalPoints <= progress) nextPoint++;
      }
      if (checkpointEvery > 0 && step % checkpointEvery === 0 && progress < 1) saveCheckpoint();
      if (performance.now() - lastReport >= 500) {
        lastReport = performance.now();
        report(false);
      }
      await yieldToEventLoop();
    }
    report(true);
    const final = curve[curve.length - 1]!;
    const seconds = Math.round(elapsed()) / 1000;
    const training: TrainingRecord = {
      corpus: corpus.name,
      merges,
      seed,
      steps: step,
      tokens_seen: step * stepTokens,
      batch_size: batchSize,
      seconds,
      held_out_fraction: heldOutFraction,
      held_out_documents: streams.heldOutDocuments,
      held_out_tokens: evalWindows.length - evalWindows.length / width,
      val_loss: final.val_loss,
      loss_curve: curve,
    };
    writeModelFiles(staging, params, training);
    publish(staging, options.out);
    return { dir: options.out, valLoss: final.val_loss, curve, steps: step, tokensSeen: training.tokens_seen, seconds };
  } catch (error) {
    discard(staging);
    throw error;
  } finally {
    mask.dispose();
    adam?.dispose();
    if (params) disposeParams(params);
  }
}
