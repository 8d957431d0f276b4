/** Autoregressive generation with a key/value cache; write hooks stay active at every step. */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import { freeCache } from "./forward.js";
import { checkSampling, type SamplingOptions, sampleNext, seededRandom } from "./sampling.js";
import type { TransformerModel } from "./transformer-model.js";
import type { WriteHook } from "./types.js";

export interface GenerateOptions extends SamplingOptions {
  /** New tokens at most (default 32). */
  maxTokens?: number;
  /** Seed of the sampler (default 0). */
  seed?: number;
  /** Prepend the BOS token to a text prompt. */
  bos?: boolean;
  /** Stop when one of these is produced (default: the tokenizer's EOS). The stop token is kept in the output. */
  stopTokens?: readonly number[];
  /** Active for the prompt and every generated token. Inside a step the activation is [1, newTokens, d]. */
  writeHooks?: Readonly<Record<string, WriteHook>>;
  /** Called with each new token as it is produced. */
  onToken?: (id: number, text: string) => void;
}

export type StopReason = "eos" | "max_tokens" | "context";

export interface GenerationResult {
  promptIds: number[];
  tokenIds: number[];
  /** The decoded new tokens. */
  text: string;
  stopReason: StopReason;
}

function lastLogits(logits: tf.Tensor3D): Float32Array {
  const [, seq, vocab] = logits.shape;
  return tidyValues(() => logits.slice([0, seq - 1, 0], [1, 1, vocab]));
}

export function generate(
  model: TransformerModel,
  prompt: string | readonly number[],
  options: GenerateOptions = {},
): GenerationResult {
  checkSampling(options);
  const maxTokens = options.maxTokens ?? 32;
  if (!Number.isInteger(maxTokens) || maxTokens < 0)
    throw new Error(`max tokens must be an integer ≥ 0, got ${maxTokens}.`);
  const promptIds = typeof prompt === "string" ? model.encode(prompt, options.bos) : [...prompt];
  if (promptIds.length === 0) throw new Error("generate: the prompt is empty; give at least one token (or use --bos).");
  const eos = model.tokenizer.eosTokenId ?? model.architecture.eosTokenId;
  const stops = new Set(options.stopTokens ?? (eos === null ? [] : [eos]));
  const random = seededRandom(options.seed ?? 0);
  const forwardOptions = options.writeHooks ? { writeHooks: options.writeHooks } : {};
  const limit = model.info.maxPositions;
  const tokenIds: number[] = [];
  let stopReason: StopReason = "max_tokens";
  const cache = model.createCache();
  try {
    let input = promptIds.slice(0, limit);
    while (tokenIds.length < maxTokens) {
      if (cache.length + input.length > limit) {
        stopReason = "context";
        break;
      }
      const { logits, hooks } = model.forwardCached([input], cache, forwardOptions);
      tf.dispose(Object.values(hooks));
      const next = sampleNext(lastLogits(logits!), options, random);
      logits!.dispose();
      tokenIds.push(next);
      options.onToken?.(next, model.tokenizer.tokenString(next));
      if (stops.has(next)) {
        stopReason = "eos";
        break;
      }
      input = [next];
    }
  } finally {
    freeCache(cache);
  }
  return { promptIds, tokenIds, text: model.tokenizer.decode(tokenIds), stopReason };
}
