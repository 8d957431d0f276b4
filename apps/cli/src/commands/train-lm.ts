import { type CurvePoint, DEFAULT_DEMO_SIZE, trainDemoModel } from "@interlace/compute/lm-train";
import { cliProgress } from "@interlace/compute/progress";
import { type Command, floatFlag, intFlag, requiredString, stringFlag, UsageError } from "../command.js";

function describePoint(point: CurvePoint): string {
  const train = point.train_loss === null ? "" : `  train loss ${point.train_loss.toFixed(3)}`;
  return (
    `step ${String(point.step).padStart(5)}  ${point.tokens.toLocaleString("en-US")} tokens  ` +
    `${point.seconds.toFixed(0)}s${train}  held-out loss ${point.val_loss.toFixed(3)}`
  );
}

export const trainLmCommand: Command = {
  path: ["train-lm"],
  summary:
    "Train a small GPT-2 from scratch on a corpus and save it as a Hugging Face model folder (offline demo model).",
  usage: `Flags:
  --corpus C          sotu, moby-dick, a folder of .txt files or a .jsonl file with a text field;
                      join several with commas (default sotu)
  --out DIR           the model folder to write (required)
  --minutes M         wall-clock budget of the training loop (default 8, or none when --steps is given)
  --steps N           optimiser steps (with --minutes: stop at whichever comes first)
  --merges N          GPT-2 BPE merges kept (default 8000: vocabulary 8,257)
  --layers N          transformer blocks (default ${DEFAULT_DEMO_SIZE.nLayers})
  --d-model N         residual width (default ${DEFAULT_DEMO_SIZE.dModel})
  --heads N           attention heads (default ${DEFAULT_DEMO_SIZE.nHeads})
  --context N         tokens per window (default ${DEFAULT_DEMO_SIZE.context})
  --batch-size N      windows per step (default 16)
  --lr X              peak learning rate (default 0.002)
  --seed S            initialisation, data order and held-out split (default 0)
  --overwrite         replace a model already in --out
`,
  options: {
    corpus: { type: "string" },
    out: { type: "string" },
    minutes: { type: "string" },
    steps: { type: "string" },
    merges: { type: "string" },
    layers: { type: "string" },
    "d-model": { type: "string" },
    heads: { type: "string" },
    context: { type: "string" },
    "batch-size": { type: "string" },
    lr: { type: "string" },
    seed: { type: "string" },
    overwrite: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const out = requiredString(values, "out", "give the folder for the model, e.g. --out ./demo-gpt2.");
    const steps = values.steps === undefined ? undefined : intFlag(values, "steps", 1, 1);
    const minutes = values.minutes === undefined ? undefined : floatFlag(values, "minutes", 8);
    if (minutes !== undefined && !(minutes > 0)) throw new UsageError(`--minutes must be > 0, got ${minutes}.`);
    const lr = floatFlag(values, "lr", 2e-3);
    if (!(lr > 0)) throw new UsageError(`--lr must be > 0, got ${lr}.`);
    const merges = intFlag(values, "merges", 8000, 1);
    if (merges > 50_000) throw new UsageError(`--merges must be at most 50000 (GPT-2 has 50,000), got ${merges}.`);
    const size = {
      nLayers: intFlag(values, "layers", DEFAULT_DEMO_SIZE.nLayers, 1),
      dModel: intFlag(values, "d-model", DEFAULT_DEMO_SIZE.dModel, 1),
      nHeads: intFlag(values, "heads", DEFAULT_DEMO_SIZE.nHeads, 1),
      context: intFlag(values, "context", DEFAULT_DEMO_SIZE.context, 2),
    };
    if (size.dModel % size.nHeads !== 0) {
      throw new UsageError(`--d-model ${size.dModel} must be a multiple of --heads ${size.nHeads}.`);
    }
    const clearBar = process.stderr.isTTY ? "\r\x1b[2K" : "";
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once("SIGINT", onSigint);
    try {
      const result = await trainDemoModel({
        corpus: stringFlag(values, "corpus") ?? "sotu",
        out,
        ...(minutes === undefined ? {} : { minutes }),
        ...(steps === undefined ? {} : { steps }),
        merges,
        seed: intFlag(values, "seed", 0, 0),
        size,
        batchSize: intFlag(values, "batch-size", 16, 1),
        lr,
        overwrite: values.overwrite === true,
        onProgress: cliProgress(),
        onEval: (point) => {
          process.stderr.write(clearBar);
          process.stdout.write(`${describePoint(point)}\n`);
        },
        signal: controller.signal,
        backend: config.backend,
      });
      process.stdout.write(
        `saved ${out}: held-out loss ${result.valLoss.toFixed(3)} after ${result.steps} steps ` +
          `(${result.tokensSeen.toLocaleString("en-US")} tokens, ${result.seconds.toFixed(0)}s of training)\n`,
      );
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
  },
};
