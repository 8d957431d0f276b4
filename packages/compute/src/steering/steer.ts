/**
 * Steered generation: the prompt continued with the steering hook active at every position (prompt and new tokens,
 * through the key/value cache), beside the unsteered continuation drawn with the same sampler seed, and per steered
 * token how much more likely steering made it: log p_steered(t) − log p_unsteered(t), both given the steered prefix.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyValues } from "../dense/tidy-values.js";
import { generate, type StopReason } from "../lm/generate.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { WriteHook } from "../lm/types.js";
import type { Sae } from "../sae/sae.js";
import { checkPromptLength, checkSteerFeatures, STEER_LIMITS, type SteerFeature, SteerInputError } from "./features.js";
import { saeSteeringHook } from "./hook.js";

export interface SteerOptions {
  maxNewTokens: number;
  /** null/undefined: greedy decoding; a number: sampling at `temperature` with this seed for both continuations. */
  seed?: number | null;
  /** Sampling temperature when a seed is given (default 1). */
  temperature?: number;
  topK?: number;
  topP?: number;
  bos?: boolean;
  /** Stop tokens (default the tokenizer's EOS). */
  stopTokens?: readonly number[];
  /** Epoch milliseconds after which the work stops with a SteerTimeoutError. */
  deadline?: number;
  /** Argument names used in errors (defaults match the GraphQL fields). */
  names?: { prompt: string; maxNewTokens: string; features: string; index: string; mode: string; value: string };
}

export interface GeneratedText {
  tokenIds: number[];
  /** Each new token's surface string. */
  tokens: string[];
  text: string;
  stopReason: StopReason;
}

export interface SteerResult {
  promptIds: number[];
  promptTokens: string[];
  baseline: GeneratedText;
  steered: GeneratedText;
  /** Per steered token: log p_steered − log p_unsteered of that token given the steered prefix. */
  logProbDiff: number[];
}

/** The time limit of a steering request passed. */
export class SteerTimeoutError extends Error {
  override name = "SteerTimeoutError";
}

const DEFAULT_NAMES = {
  prompt: "prompt",
  maxNewTokens: "maxNewTokens",
  features: "features",
  index: "index",
  mode: "mode",
  value: "value",
};

function checkDeadline(deadline: number | undefined): void {
  if (deadline !== undefined && Date.now() > deadline) {
    throw new SteerTimeoutError(
      "steering took longer than its time limit; ask for fewer new tokens or a shorter prompt.",
    );
  }
}

/** Log-probabilities [positions] of `targets` at the last `targets.length` positions of a forward pass over ids. */
function tokenLogProbs(
  model: TransformerModel,
  ids: readonly number[],
  targets: readonly number[],
  writeHooks: Readonly<Record<string, WriteHook>> | undefined,
): Float32Array {
  const { logits } = model.forward([ids], writeHooks ? { writeHooks } : {});
  try {
    return tidyValues(() => {
      const vocab = model.info.vocabSize;
      const n = targets.length;
      const last = logits!.slice([0, ids.length - n, 0], [1, n, vocab]).reshape([n, vocab]);
      const logp = tf.logSoftmax(last);
      const picked = tf.gather(
        logp.reshape([n * vocab]),
        tf.tensor1d(Int32Array.from(targets.map((t, i) => i * vocab + t)), "int32"),
      );
      return picked;
    });
  } finally {
    logits?.dispose();
  }
}

/** Steers `model` at `hook` with the SAE's features; see the file comment. */
export function steerGenerate(
  model: TransformerModel,
  sae: Sae,
  hook: string,
  prompt: string | readonly number[],
  features: readonly SteerFeature[],
  options: SteerOptions,
): SteerResult {
  const names = options.names ?? DEFAULT_NAMES;
  const checked = checkSteerFeatures(features, sae.dSae, STEER_LIMITS, names);
  const { maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1 || maxNewTokens > STEER_LIMITS.maxNewTokens) {
    throw new SteerInputError(
      names.maxNewTokens,
      `${maxNewTokens} new tokens asked; give a whole number from 1 to ${STEER_LIMITS.maxNewTokens}.`,
    );
  }
  const promptIds = typeof prompt === "string" ? model.encode(prompt, options.bos) : [...prompt];
  checkPromptLength(promptIds.length, maxNewTokens, model.info, names.prompt);
  const seeded = options.seed !== null && options.seed !== undefined;
  const sampling = {
    maxTokens: maxNewTokens,
    temperature: seeded ? (options.temperature ?? 1) : 0,
    topK: options.topK ?? 0,
    topP: options.topP ?? 1,
    seed: seeded ? (options.seed as number) : 0,
    ...(options.stopTokens ? { stopTokens: options.stopTokens } : {}),
    onToken: () => checkDeadline(options.deadline),
  };
  const writeHooks = { [hook]: saeSteeringHook(sae, checked) };
  const text = (result: ReturnType<typeof generate>): GeneratedText => ({
    tokenIds: result.tokenIds,
    tokens: result.tokenIds.map((id) => model.tokenizer.tokenString(id)),
    text: result.text,
    stopReason: result.stopReason,
  });
  const baseline = text(generate(model, promptIds, sampling));
  const steered = text(generate(model, promptIds, { ...sampling, writeHooks }));
  checkDeadline(options.deadline);
  let logProbDiff: number[] = [];
  if (steered.tokenIds.length > 0) {
    const ids = [...promptIds, ...steered.tokenIds].slice(0, -1);
    const withSteer = tokenLogProbs(model, ids, steered.tokenIds, writeHooks);
    const without = tokenLogProbs(model, ids, steered.tokenIds, undefined);
    logProbDiff = Array.from(withSteer, (lp, i) => lp - without[i]!);
  }
  return {
    promptIds,
    promptTokens: promptIds.map((id) => model.tokenizer.tokenString(id)),
    baseline,
    steered,
    logProbDiff,
  };
}
