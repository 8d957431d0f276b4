/** Writes trained GPT-2 parameters and their tokenizer as a Hugging Face model folder. */
import { join } from "node:path";
import { writeSafetensors } from "../io/safetensors.js";
import { gpt2ConfigJson, type TrainingRecord } from "./demo-config.js";
import { type CutBpe, tokenizerConfigJson, tokenizerJson } from "./gpt2-bpe.js";
import { type Gpt2Params, huggingFaceTensors } from "./gpt2-params.js";
import { writeJson } from "./save-model.js";

/** tokenizer.json + tokenizer_config.json (written first: training reads its tokens through them). */
export function writeTokenizerFiles(dir: string, bpe: CutBpe, context: number): void {
  writeJson(dir, "tokenizer.json", tokenizerJson(bpe));
  writeJson(dir, "tokenizer_config.json", tokenizerConfigJson(context));
}

/** model.safetensors (float32) + config.json with the training record. */
export function writeModelFiles(dir: string, params: Gpt2Params, training: TrainingRecord): void {
  writeSafetensors(join(dir, "model.safetensors"), huggingFaceTensors(params), { format: "pt" });
  writeJson(dir, "config.json", gpt2ConfigJson(params.shape, training));
}
