/**
 * The steering flags shared by `lm run` and `lm generate`: --steer-sae with repeatable --steer-feature, --steer-mode
 * and --steer-value matched by position.
 */
import { isAbsolute, resolve } from "node:path";
import type { TransformerModel } from "@interlace/compute/lm";
import { loadSaeLens, type Sae } from "@interlace/compute/sae";
import { checkSteerFeatures, type SteerFeature, SteerInputError, saeHookFor } from "@interlace/compute/steering";
import { type OptionSpec, type ParsedValues, stringFlag, UsageError } from "./command.js";

export const STEER_OPTIONS: OptionSpec = {
  "steer-sae": { type: "string" },
  "steer-feature": { type: "string", multiple: true },
  "steer-mode": { type: "string", multiple: true },
  "steer-value": { type: "string", multiple: true },
};

export const STEER_USAGE = `  --steer-sae DIR     a SAELens SAE directory of this model: steer at its hook (metadata.hook_name)
  --steer-feature I   a feature of that SAE to steer (repeatable)
  --steer-mode M      add (x += V·W_dec[I]) or clamp (the feature's code set to V, error term kept);
                      one per --steer-feature, matched by position
  --steer-value V     the value; one per --steer-feature, matched by position
`;

export interface SteerRequest {
  saeDir: string;
  features: { index: number; mode: string; value: number }[];
}

function list(values: ParsedValues, name: string): string[] {
  const raw = values[name];
  return Array.isArray(raw) ? raw.map(String) : [];
}

function number(raw: string, flag: string, integer: boolean): number {
  const n = raw.trim() === "" ? Number.NaN : Number(raw);
  const notANumber = Number.isNaN(n) && raw.trim() !== "NaN";
  if (integer ? !Number.isInteger(n) : notANumber) {
    throw new UsageError(`${flag} must be ${integer ? "a whole number" : "a number"}, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

/** The steering flags, or null when none are given. Counts must match; values must parse. */
export function steerRequest(values: ParsedValues): SteerRequest | null {
  const saeDir = stringFlag(values, "steer-sae");
  const indices = list(values, "steer-feature");
  const modes = list(values, "steer-mode");
  const numbers = list(values, "steer-value");
  if (saeDir === undefined) {
    if (indices.length + modes.length + numbers.length > 0) {
      throw new UsageError(
        "--steer-sae is required with --steer-feature/--steer-mode/--steer-value: give the SAE dir.",
      );
    }
    return null;
  }
  if (indices.length === 0) throw new UsageError("--steer-feature is required with --steer-sae: give a feature index.");
  for (const [flag, given] of [
    ["--steer-mode", modes],
    ["--steer-value", numbers],
  ] as const) {
    if (given.length !== indices.length) {
      throw new UsageError(
        `${flag} is given ${given.length} times but --steer-feature ${indices.length}; give one per feature, in the same order.`,
      );
    }
  }
  return {
    saeDir: isAbsolute(saeDir) ? saeDir : resolve(saeDir),
    features: indices.map((index, k) => ({
      index: number(index, "--steer-feature", true),
      mode: modes[k]!,
      value: number(numbers[k]!, "--steer-value", false),
    })),
  };
}

export const STEER_FLAG_NAMES = {
  features: "--steer-feature",
  index: "--steer-feature",
  mode: "--steer-mode",
  value: "--steer-value",
};

/** Runs `use` with the request's SAE loaded and checked against the model; steering input errors exit 2. */
export async function withSteering<T>(
  request: SteerRequest,
  model: TransformerModel,
  use: (sae: Sae, hook: string, features: SteerFeature[]) => T | Promise<T>,
): Promise<T> {
  let sae: Sae;
  try {
    sae = loadSaeLens(request.saeDir);
  } catch (error) {
    throw new UsageError(`--steer-sae: ${(error as Error).message}`);
  }
  try {
    const hook = asUsage(() => saeHookFor(sae, model.info, "--steer-sae"));
    const features = asUsage(() => checkSteerFeatures(request.features, sae.dSae, undefined, STEER_FLAG_NAMES));
    return await use(sae, hook, features);
  } finally {
    sae.dispose();
  }
}

/** Runs fn, turning a SteerInputError into a UsageError (exit code 2) with the same message. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SteerInputError) throw new UsageError(error.message);
    throw error;
  }
}
