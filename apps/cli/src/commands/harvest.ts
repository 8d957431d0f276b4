import { openCorpus } from "@interlace/compute/corpus";
import { harvest } from "@interlace/compute/harvest";
import { loadModel } from "@interlace/compute/lm";
import { cliProgress } from "@interlace/compute/progress";
import { STORE_DTYPES, type StoreDtype } from "@interlace/compute/store";
import { type Command, intFlag, requiredString, stringFlag, UsageError } from "../command.js";

function dtypeFlag(raw: string | undefined): StoreDtype {
  if (raw === undefined) return "float32";
  if (!(STORE_DTYPES as readonly string[]).includes(raw)) {
    throw new UsageError(`--dtype must be one of ${STORE_DTYPES.join(", ")}, got ${JSON.stringify(raw)}.`);
  }
  return raw as StoreDtype;
}

function corpusFlag(spec: string) {
  try {
    return openCorpus(spec);
  } catch (error) {
    throw new UsageError(`--corpus: ${(error as Error).message}`);
  }
}

export const harvestCommand: Command = {
  path: ["harvest"],
  summary: "Run a model over a corpus and store the activations at one hook (resumable).",
  usage: `Flags:
  --model DIR         Hugging Face model directory (required)
  --hook NAME         e.g. blocks.3.hook_resid_post (required)
  --corpus C          sotu, moby-dick, a folder of .txt files or a .jsonl file with a text field;
                      join several with commas (default sotu)
  --tokens N          rows (token positions) to store (default 100000)
  --context N         tokens per window (default 128)
  --bos               start every window with the BOS token (SAELens prepend_bos)
  --dtype T           float32 or float16 (default float32)
  --batch-size N      windows per forward pass (default 8)
  --out DIR           the activation store's folder (required); an unfinished harvest there is resumed
  --overwrite         replace a store already in --out instead of resuming it
`,
  options: {
    model: { type: "string" },
    hook: { type: "string" },
    corpus: { type: "string" },
    tokens: { type: "string" },
    context: { type: "string" },
    bos: { type: "boolean" },
    dtype: { type: "string" },
    "batch-size": { type: "string" },
    out: { type: "string" },
    overwrite: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const modelDir = requiredString(values, "model", "give a Hugging Face model directory, e.g. --model ./my-gpt2.");
    const hook = requiredString(values, "hook", "name the hook to read, e.g. --hook blocks.3.hook_resid_post.");
    const out = requiredString(values, "out", "give the folder for the activation store, e.g. --out ./acts.");
    const corpus = corpusFlag(stringFlag(values, "corpus") ?? "sotu");
    const tokens = intFlag(values, "tokens", 100_000, 1);
    const context = intFlag(values, "context", 128, 2);
    const batchSize = intFlag(values, "batch-size", 8, 1);
    const dtype = dtypeFlag(stringFlag(values, "dtype"));

    const model = await loadModel(modelDir, { backend: config.backend });
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once("SIGINT", onSigint);
    try {
      const result = await harvest({
        model,
        modelName: modelDir,
        hook,
        corpus,
        tokens,
        context,
        bos: values.bos === true,
        dtype,
        batchSize,
        out,
        overwrite: values.overwrite === true,
        onProgress: cliProgress(),
        signal: controller.signal,
      });
      const { manifest } = result;
      if (result.resumedRows > 0) process.stdout.write(`resumed after ${result.resumedRows} stored rows\n`);
      if (result.corpusExhausted) {
        process.stdout.write(`the corpus ran out: stored ${manifest.rows} of the ${tokens} rows asked for\n`);
      }
      process.stdout.write(
        `${manifest.rows} rows × ${manifest.d} (${manifest.dtype}) in ${manifest.shards.length} shards at ${out}; ` +
          `${Math.round(result.tokensPerSecond)} tokens/s; mean norm ${manifest.stats.meanNorm.toFixed(3)}\n`,
      );
    } finally {
      process.removeListener("SIGINT", onSigint);
      model.dispose();
    }
  },
};
