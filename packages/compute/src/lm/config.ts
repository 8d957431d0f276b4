/**
 * Reads a Hugging Face `config.json` into an architecture described as data: one forward pass is driven by these
 * fields (norm kind, positional scheme, MLP kind, grouped-query attention) instead of one class per model.
 */

export type NormKind = "layernorm" | "rmsnorm";
export type Activation = "gelu_new" | "gelu" | "silu" | "relu";

export type PositionScheme = { kind: "learned" } | { kind: "rope"; theta: number };

/** `plain`: act(x·W_in + b)·W_out. `gated` (SwiGLU family): (act(x·W_gate) ⊙ x·W_up)·W_down. */
export type MlpKind = "plain" | "gated";

/** How the checkpoint names and lays out its weights. */
export type WeightLayout = "gpt2" | "llama";

export interface Architecture {
  modelType: string;
  layout: WeightLayout;
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Key/value heads; fewer than nHeads means grouped-query attention. */
  nKvHeads: number;
  headDim: number;
  dMlp: number;
  vocabSize: number;
  maxPositions: number;
  norm: { kind: NormKind; eps: number };
  positions: PositionScheme;
  mlp: { kind: MlpKind; activation: Activation; bias: boolean };
  /** Biases on the query/key/value and output projections. */
  attention: { qkvBias: boolean; outBias: boolean };
  /** The unembedding is the token embedding (no separate lm_head). */
  tiedHead: boolean;
  bosTokenId: number | null;
  eosTokenId: number | null;
}

export class UnsupportedModelError extends Error {
  override name = "UnsupportedModelError";
}

type RawConfig = Record<string, unknown>;

function num(config: RawConfig, source: string, ...keys: string[]): number {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  throw new UnsupportedModelError(`${source}: missing numeric field ${keys.join(" or ")}; fix config.json.`);
}

function optionalNum(config: RawConfig, key: string): number | null {
  const value = config[key];
  if (typeof value === "number") return value;
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return null;
}

function activation(name: unknown, source: string): Activation {
  const known: Record<string, Activation> = {
    gelu_new: "gelu_new",
    gelu_pytorch_tanh: "gelu_new",
    gelu_fast: "gelu_new",
    gelu: "gelu",
    silu: "silu",
    swish: "silu",
    relu: "relu",
  };
  const found = typeof name === "string" ? known[name] : undefined;
  if (!found) {
    throw new UnsupportedModelError(
      `${source}: activation ${JSON.stringify(name)} is not supported; supported: ${Object.keys(known).join(", ")}.`,
    );
  }
  return found;
}

function gpt2(config: RawConfig, source: string): Architecture {
  const dModel = num(config, source, "n_embd", "hidden_size");
  const nHeads = num(config, source, "n_head", "num_attention_heads");
  if (config["scale_attn_by_inverse_layer_idx"] === true || config["reorder_and_upcast_attn"] === true) {
    throw new UnsupportedModelError(
      `${source}: scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn are not supported; set them false.`,
    );
  }
  const inner = config["n_inner"];
  return {
    modelType: "gpt2",
    layout: "gpt2",
    nLayers: num(config, source, "n_layer", "num_hidden_layers"),
    dModel,
    nHeads,
    nKvHeads: nHeads,
    headDim: dModel / nHeads,
    dMlp: typeof inner === "number" ? inner : 4 * dModel,
    vocabSize: num(config, source, "vocab_size"),
    maxPositions: num(config, source, "n_positions", "n_ctx", "max_position_embeddings"),
    norm: { kind: "layernorm", eps: optionalNum(config, "layer_norm_epsilon") ?? 1e-5 },
    positions: { kind: "learned" },
    mlp: { kind: "plain", activation: activation(config["activation_function"] ?? "gelu_new", source), bias: true },
    attention: { qkvBias: true, outBias: true },
    tiedHead: config["tie_word_embeddings"] !== false,
    bosTokenId: optionalNum(config, "bos_token_id"),
    eosTokenId: optionalNum(config, "eos_token_id"),
  };
}

function llama(config: RawConfig, source: string, modelType: string): Architecture {
  const dModel = num(config, source, "hidden_size");
  const nHeads = num(config, source, "num_attention_heads");
  const nKvHeads = optionalNum(config, "num_key_value_heads") ?? nHeads;
  if (nHeads % nKvHeads !== 0) {
    throw new UnsupportedModelError(
      `${source}: num_attention_heads ${nHeads} is not a multiple of ${nKvHeads} KV heads.`,
    );
  }
  const scaling = config["rope_scaling"];
  if (scaling !== undefined && scaling !== null) {
    throw new UnsupportedModelError(`${source}: rope_scaling ${JSON.stringify(scaling)} is not supported yet.`);
  }
  const qkvBias = modelType === "qwen2" || config["attention_bias"] === true;
  return {
    modelType,
    layout: "llama",
    nLayers: num(config, source, "num_hidden_layers"),
    dModel,
    nHeads,
    nKvHeads,
    headDim: optionalNum(config, "head_dim") ?? dModel / nHeads,
    dMlp: num(config, source, "intermediate_size"),
    vocabSize: num(config, source, "vocab_size"),
    maxPositions: num(config, source, "max_position_embeddings"),
    norm: { kind: "rmsnorm", eps: optionalNum(config, "rms_norm_eps") ?? 1e-6 },
    positions: { kind: "rope", theta: optionalNum(config, "rope_theta") ?? 10000 },
    mlp: {
      kind: "gated",
      activation: activation(config["hidden_act"] ?? "silu", source),
      bias: config["mlp_bias"] === true,
    },
    attention: { qkvBias, outBias: config["attention_bias"] === true },
    tiedHead: config["tie_word_embeddings"] === true,
    bosTokenId: optionalNum(config, "bos_token_id"),
    eosTokenId: optionalNum(config, "eos_token_id"),
  };
}

const FAMILIES: Record<string, (config: RawConfig, source: string, modelType: string) => Architecture> = {
  gpt2,
  llama,
  mistral: llama,
  qwen2: llama,
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(FAMILIES);

/** Parses a config.json object; `source` names the file in error messages. */
export function parseArchitecture(config: unknown, source = "config.json"): Architecture {
  if (typeof config !== "object" || config === null) {
    throw new UnsupportedModelError(`${source}: not a JSON object.`);
  }
  const raw = config as RawConfig;
  const modelType = raw["model_type"];
  const family = typeof modelType === "string" ? FAMILIES[modelType] : undefined;
  if (!family) {
    throw new UnsupportedModelError(
      `${source}: model_type ${JSON.stringify(modelType)} is not supported; supported model types: ` +
        `${SUPPORTED_MODEL_TYPES.join(", ")}.`,
    );
  }
  const arch = family(raw, source, modelType as string);
  if (!Number.isInteger(arch.headDim)) {
    throw new UnsupportedModelError(`${source}: hidden size ${arch.dModel} is not divisible by ${arch.nHeads} heads.`);
  }
  return arch;
}
