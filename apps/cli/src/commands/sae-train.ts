import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "@interlace/compute/backend";
import {
  DEFAULT_K,
  evaluateSae,
  type SaeTrainingProgress,
  saveSaeLens,
  storeRowSource,
  type TrainSaeOptions,
  trainSae,
} from "@interlace/compute/sae";
import { ActivationStore } from "@interlace/compute/store";
import { type Command, floatFlag, intFlag, type ParsedValues, requiredString, UsageError } from "../command.js";
import { formatMetrics, trainingLine } from "./sae-format.js";

/** The options a run was started with, kept in --out so that --resume can refuse different ones. */
export const TRAIN_OPTIONS_FILE = "interlace_train.json";
const CHECKPOINT_FILE = "training_state.safetensors";

export function openStore(dir: string): ActivationStore {
  try {
    return ActivationStore.open(dir);
  } catch (error) {
    throw new UsageError(`--activations: ${(error as Error).message}`);
  }
}

function archFlag(values: ParsedValues): "standard" | "topk" {
  const raw = values["arch"] ?? "standard";
  if (raw !== "standard" && raw !== "topk") {
    throw new UsageError(`--arch must be standard or topk, got ${JSON.stringify(raw)}.`);
  }
  return raw;
}

function positive(values: ParsedValues, name: string, fallback: number): number {
  const n = floatFlag(values, name, fallback);
  if (!(n > 0)) throw new UsageError(`--${name} must be > 0, got ${n}.`);
  return n;
}

/** Training options from flags (everything that must stay the same when a run is resumed). */
function trainOptionsOf(values: ParsedValues): Omit<TrainSaeOptions, "metadata" | "onProgress" | "signal"> {
  const architecture = archFlag(values);
  if (architecture === "topk" && values["l1"] !== undefined) {
    throw new UsageError("--l1 applies to --arch standard; a topk SAE takes --k.");
  }
  if (architecture === "standard" && values["k"] !== undefined) {
    throw new UsageError("--k applies to --arch topk; a standard SAE takes --l1.");
  }
  const resampleEvery = intFlag(values, "resample-every", 0, 0);
  if (resampleEvery > 0 && architecture !== "standard") {
    throw new UsageError("--resample-every applies to --arch standard; topk revives dead latents with aux-k.");
  }
  const steps = intFlag(values, "steps", 2000, 1);
  return {
    architecture,
    dSae: intFlag(values, "d-sae", 0, 1),
    ...(architecture === "standard" ? { l1: positive(values, "l1", 3) } : { k: intFlag(values, "k", DEFAULT_K, 1) }),
    steps,
    batchSize: intFlag(values, "batch-size", 1024, 1),
    lr: positive(values, "lr", 1e-3),
    seed: intFlag(values, "seed", 0),
    ...(resampleEvery > 0 ? { resampleDeadEvery: resampleEvery } : {}),
  };
}

export const saeTrainCommand: Command = {
  path: ["sae", "train"],
  summary: "Train a standard or TopK SAE on an activation store's training rows; write it in SAELens layout.",
  usage: `Flags:
  --activations DIR   activation store from \`interlace harvest\` (required); trains on its training split
  --arch A            standard or topk (default standard)
  --d-sae N           number of latents (required)
  --l1 λ              sparsity coefficient of a standard SAE, on inputs scaled to mean norm √d (default 3)
  --k K               active latents per row of a topk SAE (default ${DEFAULT_K})
  --steps N           optimiser steps (default 2000)
  --batch-size N      rows per step (default 1024)
  --lr X              peak Adam learning rate; linear decay to lr/10 over the last 20% of steps (default 0.001)
  --seed N            initialisation and shuffle seed (default 0)
  --workers N         worker threads for data-parallel steps, one per core helps (default 1)
  --resample-every N  standard only: re-initialise latents dead for a window from high-loss rows every N steps
                      (default 0: off)
  --held-out N        held-out rows evaluated after training (default 65536)
  --checkpoint-every N  steps between checkpoints in --out (default 200)
  --out DIR           output folder (required): cfg.json, sae_weights.safetensors, sparsity.safetensors and the
                      training state
  --resume            continue the run whose checkpoint is in --out (same flags required)
`,
  options: {
    activations: { type: "string" },
    arch: { type: "string" },
    "d-sae": { type: "string" },
    l1: { type: "string" },
    k: { type: "string" },
    steps: { type: "string" },
    "batch-size": { type: "string" },
    lr: { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    "resample-every": { type: "string" },
    "held-out": { type: "string" },
    "checkpoint-every": { type: "string" },
    out: { type: "string" },
    resume: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const storeDir = requiredString(values, "activations", "give an activation store, e.g. --activations ./acts.");
    const out = requiredString(values, "out", "give the folder for the SAE, e.g. --out ./sae.");
    if (values["d-sae"] === undefined) throw new UsageError("--d-sae is required: give the number of latents.");
    const options = trainOptionsOf(values);
    const workers = intFlag(values, "workers", 1, 1);
    const heldOutRows = intFlag(values, "held-out", 65536, 1);
    const resume = values["resume"] === true;
    const optionsPath = join(out, TRAIN_OPTIONS_FILE);
    const recorded = JSON.stringify({ activations: storeDir, ...options });
    if (existsSync(join(out, CHECKPOINT_FILE))) {
      if (!resume)
        throw new UsageError(`${out} holds a training run: add --resume to continue it, or pick another --out.`);
      const before = existsSync(optionsPath) ? readFileSync(optionsPath, "utf8").trim() : null;
      if (before !== null && before !== recorded) {
        throw new UsageError(`--resume needs the flags of the run in ${out}: ${before}`);
      }
    }
    const store = openStore(storeDir);
    await initBackend(config.backend);
    const { manifest } = store;
    const source = storeRowSource(store, { shuffleSeed: options.seed ?? 0 });
    mkdirSync(out, { recursive: true });
    writeAtomically(optionsPath, recorded);

    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once("SIGINT", onSigint);
    const progress = progressPrinter();
    try {
      const result = await trainSae(source, {
        ...options,
        workers: { count: workers, backend: config.backend },
        metadata: {
          model_name: manifest.model,
          hook_name: manifest.hook,
          context_size: manifest.context,
          prepend_bos: manifest.bos,
          dataset_path: manifest.corpus,
        },
        checkpointDir: out,
        checkpointEvery: intFlag(values, "checkpoint-every", 200, 1),
        resume,
        onProgress: progress,
        signal: controller.signal,
      });
      if (result.stopReason === "aborted") {
        process.stdout.write(`stopped at step ${result.steps}; run the same command with --resume to continue\n`);
        result.sae.dispose();
        return;
      }
      if (result.stopReason === "non_finite") {
        result.sae.dispose();
        throw new Error(
          `the loss became NaN or Inf at step ${result.steps + 1}; the last checkpoint in ${out} is kept — lower --lr and start again in a new --out.`,
        );
      }
      const heldOut = store.readAll(heldOutRows, { split: "heldOut" });
      const metrics = heldOut.size > 1 ? evaluateSae(result.sae, heldOut.x) : null;
      saveSaeLens(result.sae, out, metrics ? { featureDensity: metrics.feature_density } : {});
      result.sae.dispose();
      process.stdout.write(`SAE (${options.architecture}, d_sae ${options.dSae}) written to ${out}\n`);
      if (metrics) process.stdout.write(formatMetrics(metrics));
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
  },
};

function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${text}\n`);
  renameSync(temp, path);
}

/** A training progress line: redrawn in place on a terminal, otherwise printed every 10 s and at the end. */
function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (p: SaeTrainingProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    const final = p.step === p.totalSteps;
    if (stream.isTTY) {
      if (now - last < 250 && !final) return;
      last = now;
      stream.write(`\r\x1b[2K${trainingLine(p)}${final ? "\n" : ""}`);
      return;
    }
    if (now - last < 10_000 && !final) return;
    last = now;
    stream.write(`${trainingLine(p)}\n`);
  };
}
