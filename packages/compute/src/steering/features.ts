/**
 * What a steering request asks for — features of an SAE to add to or clamp at its hook — and the checks every entry
 * point (CLI, GraphQL) shares, so bad input fails with the same message naming the argument everywhere.
 */
import { parseHookName } from "../lm/forward.js";
import type { ModelInfo } from "../lm/types.js";
import type { Sae } from "../sae/sae.js";

export const STEER_MODES = ["add", "clamp"] as const;
export type SteerMode = (typeof STEER_MODES)[number];

/** One feature's edit: `add` puts v·W_dec[i] on x; `clamp` moves the feature's own code to v. */
export interface SteerFeature {
  index: number;
  mode: SteerMode;
  value: number;
}

/** Bounds of one steering request (the CLI and the server apply the same defaults). */
export interface SteerLimits {
  maxFeatures: number;
  maxNewTokens: number;
  /** |value| at most this (keeps the forward pass finite). */
  maxAbsValue: number;
}

export const STEER_LIMITS: SteerLimits = { maxFeatures: 8, maxNewTokens: 64, maxAbsValue: 1e4 };

/** Bad steering input; `argument` names the flag or field at fault. */
export class SteerInputError extends Error {
  override name = "SteerInputError";
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

export function isSteerMode(mode: string): mode is SteerMode {
  return (STEER_MODES as readonly string[]).includes(mode);
}

/** Checks the features against the SAE's width and the limits; `names` gives the argument names to report. */
export function checkSteerFeatures(
  features: readonly { index: number; mode: string; value: number }[],
  dSae: number,
  limits: SteerLimits = STEER_LIMITS,
  names: { features: string; index: string; mode: string; value: string } = {
    features: "features",
    index: "index",
    mode: "mode",
    value: "value",
  },
): SteerFeature[] {
  if (features.length > limits.maxFeatures) {
    throw new SteerInputError(
      names.features,
      `${features.length} features given; steer at most ${limits.maxFeatures} at once.`,
    );
  }
  const seen = new Set<number>();
  return features.map(({ index, mode, value }, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= dSae) {
      throw new SteerInputError(names.index, `feature ${index} does not exist; the SAE has features 0..${dSae - 1}.`);
    }
    if (seen.has(index)) throw new SteerInputError(names.index, `feature ${index} is given twice; give it once.`);
    seen.add(index);
    if (!isSteerMode(mode)) {
      throw new SteerInputError(names.mode, `"${mode}" is not a mode (feature #${k + 1}); use add or clamp.`);
    }
    if (!Number.isFinite(value)) {
      throw new SteerInputError(names.value, `${value} is not a finite number (feature #${k + 1}); give a number.`);
    }
    if (Math.abs(value) > limits.maxAbsValue) {
      throw new SteerInputError(
        names.value,
        `${value} is too large (feature #${k + 1}); use |value| ≤ ${limits.maxAbsValue}.`,
      );
    }
    return { index, mode, value };
  });
}

/** The hook the SAE reads (its cfg's metadata.hook_name unless given), checked against the model's layers and width. */
export function saeHookFor(sae: Sae, info: ModelInfo, argument: string, hook?: string): string {
  const name = hook ?? sae.cfg.metadata["hook_name"];
  if (typeof name !== "string") {
    throw new SteerInputError(
      argument,
      "the SAE's cfg.json names no hook (metadata.hook_name); give an SAE that does.",
    );
  }
  try {
    parseHookName(name, info.nLayers);
  } catch (error) {
    throw new SteerInputError(argument, `the SAE's hook does not fit ${info.name}: ${(error as Error).message}`);
  }
  if (sae.dIn !== info.dModel) {
    throw new SteerInputError(
      argument,
      `the SAE reads ${sae.dIn} dimensions but ${info.name} has ${info.dModel} at ${name}; give an SAE trained on this model.`,
    );
  }
  return name;
}

/** Checks that a prompt of `tokens` tokens plus `newTokens` fits the model's context. */
export function checkPromptLength(tokens: number, newTokens: number, info: ModelInfo, argument: string): void {
  if (tokens === 0) throw new SteerInputError(argument, "it encodes to no tokens; give some text.");
  if (tokens + newTokens > info.maxPositions) {
    throw new SteerInputError(
      argument,
      `it has ${tokens} tokens; with ${newTokens} new tokens that exceeds ${info.name}'s context of ${info.maxPositions}. Shorten it.`,
    );
  }
}
