/** Loads a Hugging Face model directory (config.json, safetensors weights, tokenizer.json) into tfjs. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { initBackend } from "../backend.js";
import type { BackendPreference } from "../backend-preference.js";
import { parseArchitecture } from "./config.js";
import { loadWeights, openWeights } from "./loader.js";
import { ropeTables } from "./rope.js";
import { loadTokenizer } from "./tokenizer.js";
import { TransformerModel } from "./transformer-model.js";

export interface LoadModelOptions {
  /** Display name (default: the directory's basename). */
  name?: string;
  /** The backend preference to start when no backend runs yet in this thread (the app's configured one). */
  backend: BackendPreference;
}

export function readConfig(dir: string): unknown {
  const path = join(dir, "config.json");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `Model directory ${dir} does not exist; pass a Hugging Face model directory or an id like org/name.`,
    );
  }
  if (!existsSync(path)) throw new Error(`${dir}: no config.json; place the model's Hugging Face config.json there.`);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message}); re-download it.`);
  }
}

/** Loads the model in `dir`, starting the engine `options.backend` first if none runs yet. */
export async function loadModel(dir: string, options: LoadModelOptions): Promise<TransformerModel> {
  await initBackend(options.backend);
  const configPath = join(dir, "config.json");
  const arch = parseArchitecture(readConfig(dir), configPath);
  const tokenizer = loadTokenizer(dir, { bosTokenId: arch.bosTokenId, eosTokenId: arch.eosTokenId });
  const source = openWeights(dir);
  try {
    const weights = loadWeights(arch, source);
    const model = new TransformerModel(arch, weights, tokenizer, options.name ?? basename(resolve(dir)));
    if (arch.positions.kind === "rope")
      model.withRope(ropeTables(arch.headDim, arch.positions.theta, arch.maxPositions));
    return model;
  } finally {
    source.close();
  }
}
