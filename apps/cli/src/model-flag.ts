/** The --model flag: a Hugging Face model directory or hub id (downloaded into $INTERLACE_HOME/models). */
import { loadModel, resolveModel, type TransformerModel } from "@interlace/compute/lm";
import { type ParsedValues, requiredString, UsageError } from "./command.js";
import type { CliConfig } from "./config.js";

/** What opening --model needs of the configuration: the model cache, the hub and the compute backend. */
export type ModelConfig = Pick<CliConfig, "home" | "hub" | "backend">;

/** The --model value, failing with a message that names the flag when it is missing. */
export function requiredModelSpec(values: ParsedValues): string {
  return requiredString(values, "model", "give a Hugging Face model directory or id, e.g. --model ./my-gpt2.");
}

/** Resolves --model (a directory or a Hugging Face id, downloaded into $INTERLACE_HOME/models) and loads it. */
export async function openModel(spec: string, config: ModelConfig): Promise<TransformerModel> {
  let dir: string;
  try {
    dir = await resolveModel(spec, config.home, {
      ...config.hub,
      onFile: (file) => process.stderr.write(`interlace: downloading ${spec}/${file}\n`),
    });
  } catch (error) {
    throw new UsageError(`--model: ${(error as Error).message}`);
  }
  return loadModel(dir, { name: spec, backend: config.backend });
}

/** Opens the model `spec`, hands it to `use` and disposes it afterwards, also when `use` throws. */
export async function withModel<T>(
  spec: string,
  config: ModelConfig,
  use: (model: TransformerModel) => T | Promise<T>,
): Promise<T> {
  const model = await openModel(spec, config);
  try {
    return await use(model);
  } finally {
    model.dispose();
  }
}
