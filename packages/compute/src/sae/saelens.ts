/**
 * SAELens directory interop: `cfg.json` + `sae_weights.safetensors` (+ optional `sparsity.safetensors`).
 * Import reads SAELens ≥ 6 configs and the older flat ones (`hook_point` → `metadata.hook_name`,
 * `activation_fn_str`/`activation_fn_kwargs.k` for TopK). Export writes the 6.x layout, float32.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import { saeArchitectures } from "./architectures.js";
import { Sae } from "./sae.js";
import { NORMALIZE_ACTIVATIONS, type NormalizeActivations, type SaeConfig, type SaeWeights } from "./types.js";

export const SAELENS_CFG = "cfg.json";
export const SAELENS_WEIGHTS = "sae_weights.safetensors";
export const SAELENS_SPARSITY = "sparsity.safetensors";

/** Keys of old flat configs that SAELens 6 moved under `metadata`. */
const LEGACY_METADATA_KEYS = [
  "model_name",
  "hook_name",
  "hook_layer",
  "hook_head_index",
  "context_size",
  "prepend_bos",
  "dataset_path",
  "model_from_pretrained_kwargs",
  "sae_lens_training_version",
  "exclude_special_tokens",
];

function architectureOf(raw: Record<string, unknown>): string {
  if (typeof raw["architecture"] === "string") return raw["architecture"];
  if (raw["activation_fn_str"] === "topk") return "topk";
  return "standard";
}

/** Parses a SAELens cfg.json object (any version) into Interlace's SaeConfig. */
export function parseSaeLensConfig(raw: Record<string, unknown>, where = SAELENS_CFG): SaeConfig {
  const int = (key: string): number => {
    const v = raw[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      throw new Error(`${where}: "${key}" must be a positive integer, got ${JSON.stringify(v)}.`);
    }
    return v;
  };
  const normalize = (raw["normalize_activations"] ?? "none") as string;
  if (!(NORMALIZE_ACTIVATIONS as readonly string[]).includes(normalize)) {
    throw new Error(
      `${where}: normalize_activations "${normalize}" is not supported; use one of ${NORMALIZE_ACTIVATIONS.join(", ")}.`,
    );
  }
  const metadata: Record<string, unknown> = { ...((raw["metadata"] as Record<string, unknown> | undefined) ?? {}) };
  for (const key of LEGACY_METADATA_KEYS) if (key in raw && !(key in metadata)) metadata[key] = raw[key];
  if (typeof raw["hook_point"] === "string" && metadata["hook_name"] === undefined) {
    metadata["hook_name"] = raw["hook_point"];
  }
  const architecture = architectureOf(raw);
  const kwargs = raw["activation_fn_kwargs"] as Record<string, unknown> | undefined;
  const k = typeof raw["k"] === "number" ? raw["k"] : typeof kwargs?.["k"] === "number" ? kwargs["k"] : undefined;
  return {
    architecture,
    d_in: int("d_in"),
    d_sae: int("d_sae"),
    apply_b_dec_to_input: raw["apply_b_dec_to_input"] !== false,
    normalize_activations: normalize as NormalizeActivations,
    ...(k !== undefined ? { k } : {}),
    metadata,
  };
}

/** Loads a SAELens directory. A missing file or tensor, or a shape that contradicts cfg.json, is an error. */
export function loadSaeLens(dir: string): Sae {
  const cfgPath = join(dir, SAELENS_CFG);
  const weightsPath = join(dir, SAELENS_WEIGHTS);
  if (!existsSync(cfgPath)) throw new Error(`${dir} has no ${SAELENS_CFG}; pass a SAELens SAE directory.`);
  if (!existsSync(weightsPath)) throw new Error(`${dir} has no ${SAELENS_WEIGHTS}; pass a SAELens SAE directory.`);
  const cfg = parseSaeLensConfig(JSON.parse(readFileSync(cfgPath, "utf8")) as Record<string, unknown>, cfgPath);
  const arch = saeArchitectures.get(cfg.architecture);
  const { tensors } = readSafetensors(weightsPath);
  if (arch.extraWeights.includes("threshold") && !tensors["threshold"] && tensors["log_threshold"]) {
    tensors["threshold"] = { shape: tensors["log_threshold"].shape, data: tensors["log_threshold"].data.map(Math.exp) };
  }
  const { d_in: d, d_sae: m } = cfg;
  const expected: Record<string, number[]> = { W_enc: [d, m], W_dec: [m, d], b_enc: [m], b_dec: [d] };
  for (const name of arch.extraWeights) expected[name] = [m];
  const weights: Partial<SaeWeights> = {};
  for (const [name, shape] of Object.entries(expected)) {
    const t = tensors[name];
    if (!t) {
      throw new Error(`${weightsPath} lacks tensor "${name}", which a ${cfg.architecture} SAE needs; re-export it.`);
    }
    if (t.shape.join(",") !== shape.join(",")) {
      throw new Error(
        `${weightsPath}: "${name}" has shape [${t.shape.join(", ")}] but cfg.json (d_in ${d}, d_sae ${m}) implies [${shape.join(", ")}].`,
      );
    }
    weights[name as keyof SaeWeights] = t.data;
  }
  return new Sae(cfg, weights as SaeWeights);
}

/** The cfg.json object SAELens 6 writes for this config. */
export function saeLensConfigJson(cfg: SaeConfig): Record<string, unknown> {
  return {
    architecture: cfg.architecture,
    d_in: cfg.d_in,
    d_sae: cfg.d_sae,
    dtype: "float32",
    device: "cpu",
    apply_b_dec_to_input: cfg.apply_b_dec_to_input,
    normalize_activations: cfg.normalize_activations,
    reshape_activations: "none",
    ...(cfg.k !== undefined ? { k: cfg.k } : {}),
    metadata: cfg.metadata,
  };
}

/**
 * Writes `sae` as a SAELens directory (creating it). `featureDensity`, when given, is written as
 * `sparsity.safetensors` (tensor `sparsity` = log10 of the firing fraction, as SAELens stores it).
 */
export function saveSaeLens(sae: Sae, dir: string, options: { featureDensity?: Float64Array } = {}): void {
  mkdirSync(dir, { recursive: true });
  const { d_in: d, d_sae: m } = sae.cfg;
  const w = sae.weights;
  writeSafetensors(join(dir, SAELENS_WEIGHTS), {
    W_enc: { shape: [d, m], data: w.W_enc },
    W_dec: { shape: [m, d], data: w.W_dec },
    b_enc: { shape: [m], data: w.b_enc },
    b_dec: { shape: [d], data: w.b_dec },
    ...(w.threshold ? { threshold: { shape: [m], data: w.threshold } } : {}),
  });
  if (options.featureDensity) {
    const sparsity = Float32Array.from(options.featureDensity, (p) => Math.log10(p + 1e-10));
    writeSafetensors(join(dir, SAELENS_SPARSITY), { sparsity: { shape: [m], data: sparsity } });
  }
  const cfgPath = join(dir, SAELENS_CFG);
  const temp = `${cfgPath}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(saeLensConfigJson(sae.cfg), null, 1)}\n`);
  renameSync(temp, cfgPath);
}
