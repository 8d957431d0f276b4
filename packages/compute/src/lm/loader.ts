/**
 * Weight loading as pure helpers: find the checkpoint files of a Hugging Face directory, read tensors by name
 * (single file or shards), and lay them out once, at load, the way the forward pass multiplies them:
 * every projection as a separate [in, out] matrix (separate products beat one fused product plus a split on wasm).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type HostTensor, SafetensorsFile } from "../io/safetensors.js";
import type { Architecture } from "./config.js";

export interface NormWeights {
  weight: tf.Tensor1D;
  bias: tf.Tensor1D | null;
}

export interface BlockWeights {
  norm1: NormWeights;
  norm2: NormWeights;
  /** [d, nHeads·headDim] */
  query: tf.Tensor2D;
  queryBias: tf.Tensor1D | null;
  /** [d, nKvHeads·headDim] */
  key: tf.Tensor2D;
  keyBias: tf.Tensor1D | null;
  value: tf.Tensor2D;
  valueBias: tf.Tensor1D | null;
  /** [nHeads·headDim, d] */
  out: tf.Tensor2D;
  outBias: tf.Tensor1D | null;
  /** [d, dMlp]: the MLP's input projection (gated MLPs: the "up" projection). */
  mlpIn: tf.Tensor2D;
  mlpInBias: tf.Tensor1D | null;
  /** [d, dMlp]: gated MLPs only, the activated gate projection. */
  mlpGate: tf.Tensor2D | null;
  mlpGateBias: tf.Tensor1D | null;
  /** [dMlp, d] */
  mlpOut: tf.Tensor2D;
  mlpOutBias: tf.Tensor1D | null;
}

export interface ModelWeights {
  /** [vocab, d] */
  embed: tf.Tensor2D;
  /** [maxPositions, d] for learned positions. */
  positions: tf.Tensor2D | null;
  blocks: BlockWeights[];
  finalNorm: NormWeights;
  /** [d, vocab] */
  unembed: tf.Tensor2D;
}

/** Named tensors of a checkpoint, read one at a time. */
export interface WeightSource {
  readonly description: string;
  has(name: string): boolean;
  read(name: string): HostTensor;
  close(): void;
}

export const SINGLE_FILE = "model.safetensors";
export const SHARD_INDEX = "model.safetensors.index.json";

/** Opens `model.safetensors`, or the shards listed in `model.safetensors.index.json`. */
export function openWeights(dir: string): WeightSource {
  const single = join(dir, SINGLE_FILE);
  const index = join(dir, SHARD_INDEX);
  if (existsSync(single)) {
    const file = SafetensorsFile.open(single);
    return {
      description: single,
      has: (name) => file.has(name),
      read: (name) => file.read(name),
      close: () => file.close(),
    };
  }
  if (!existsSync(index)) {
    throw new Error(
      `${dir}: no ${SINGLE_FILE} or ${SHARD_INDEX}; place the model's safetensors weights in that directory ` +
        "(PyTorch .bin checkpoints are not read).",
    );
  }
  let weightMap: Record<string, string>;
  try {
    const parsed = JSON.parse(readFileSync(index, "utf8")) as { weight_map?: Record<string, string> };
    if (!parsed.weight_map || typeof parsed.weight_map !== "object") throw new Error("no weight_map");
    weightMap = parsed.weight_map;
  } catch (error) {
    throw new Error(`${index}: not a valid shard index (${(error as Error).message}); re-download it.`);
  }
  const files = new Map<string, SafetensorsFile>();
  const fileFor = (name: string): SafetensorsFile => {
    const shard = weightMap[name];
    if (shard === undefined) throw new Error(`${index}: no shard listed for tensor "${name}".`);
    let file = files.get(shard);
    if (!file) {
      const path = join(dir, shard);
      if (!existsSync(path)) throw new Error(`${index} lists ${shard}, which is missing; download it into ${dir}.`);
      file = SafetensorsFile.open(path);
      files.set(shard, file);
    }
    return file;
  };
  return {
    description: index,
    has: (name) => name in weightMap,
    read: (name) => fileFor(name).read(name),
    close: () => {
      for (const file of files.values()) file.close();
      files.clear();
    },
  };
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  const block = 32;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(r0 + block, rows);
    for (let c0 = 0; c0 < cols; c0 += block) {
      const c1 = Math.min(c0 + block, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = data[r * cols + c]!;
    }
  }
  return out;
}

/** Cuts a row-major [rows, Σ widths] matrix into side-by-side blocks [rows, width]. */
export function splitColumns(data: Float32Array, rows: number, widths: readonly number[]): Float32Array[] {
  const total = widths.reduce((n, w) => n + w, 0);
  if (data.length !== rows * total) throw new Error(`splitColumns: ${data.length} values are not [${rows}, ${total}].`);
  let offset = 0;
  return widths.map((width) => {
    const out = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) out.set(data.subarray(r * total + offset, r * total + offset + width), r * width);
    offset += width;
    return out;
  });
}

class Reader {
  constructor(private readonly source: WeightSource) {}

  has(name: string): boolean {
    return this.source.has(name);
  }

  /** Reads a tensor and checks its shape. */
  read(name: string, shape: readonly number[]): Float32Array {
    if (!this.source.has(name)) {
      throw new Error(`${this.source.description}: missing tensor "${name}"; the checkpoint does not fit config.json.`);
    }
    const tensor = this.source.read(name);
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `${this.source.description}: tensor "${name}" has shape [${tensor.shape.join(", ")}], ` +
          `config.json implies [${shape.join(", ")}].`,
      );
    }
    return tensor.data;
  }

  vector(name: string, size: number): tf.Tensor1D {
    return tf.tensor1d(this.read(name, [size]));
  }

  optionalVector(name: string, size: number): tf.Tensor1D | null {
    return this.has(name) ? this.vector(name, size) : null;
  }

  /** An nn.Linear weight [out, in], returned as [in, out]. */
  linearT(name: string, inSize: number, outSize: number): Float32Array {
    return transpose2d(this.read(name, [outSize, inSize]), outSize, inSize);
  }
}

function gpt2Weights(arch: Architecture, r: Reader): ModelWeights {
  const p = r.has("transformer.wte.weight") ? "transformer." : "";
  const d = arch.dModel;
  const norm = (name: string): NormWeights => ({
    weight: r.vector(`${name}.weight`, d),
    bias: r.vector(`${name}.bias`, d),
  });
  const blocks: BlockWeights[] = [];
  for (let l = 0; l < arch.nLayers; l++) {
    const b = `${p}h.${l}`;
    const [q, k, v] = splitColumns(r.read(`${b}.attn.c_attn.weight`, [d, 3 * d]), d, [d, d, d]);
    const [qb, kb, vb] = splitColumns(r.read(`${b}.attn.c_attn.bias`, [3 * d]), 1, [d, d, d]);
    blocks.push({
      norm1: norm(`${b}.ln_1`),
      norm2: norm(`${b}.ln_2`),
      query: tf.tensor2d(q!, [d, d]),
      queryBias: tf.tensor1d(qb!),
      key: tf.tensor2d(k!, [d, d]),
      keyBias: tf.tensor1d(kb!),
      value: tf.tensor2d(v!, [d, d]),
      valueBias: tf.tensor1d(vb!),
      out: tf.tensor2d(r.read(`${b}.attn.c_proj.weight`, [d, d]), [d, d]),
      outBias: r.vector(`${b}.attn.c_proj.bias`, d),
      mlpIn: tf.tensor2d(r.read(`${b}.mlp.c_fc.weight`, [d, arch.dMlp]), [d, arch.dMlp]),
      mlpInBias: r.vector(`${b}.mlp.c_fc.bias`, arch.dMlp),
      mlpGate: null,
      mlpGateBias: null,
      mlpOut: tf.tensor2d(r.read(`${b}.mlp.c_proj.weight`, [arch.dMlp, d]), [arch.dMlp, d]),
      mlpOutBias: r.vector(`${b}.mlp.c_proj.bias`, d),
    });
  }
  const embedData = r.read(`${p}wte.weight`, [arch.vocabSize, d]);
  const headData =
    !arch.tiedHead && r.has("lm_head.weight") ? r.read("lm_head.weight", [arch.vocabSize, d]) : embedData;
  return {
    embed: tf.tensor2d(embedData, [arch.vocabSize, d]),
    positions: tf.tensor2d(r.read(`${p}wpe.weight`, [arch.maxPositions, d]), [arch.maxPositions, d]),
    blocks,
    finalNorm: norm(`${p}ln_f`),
    unembed: tf.tensor2d(transpose2d(headData, arch.vocabSize, d), [d, arch.vocabSize]),
  };
}

function llamaWeights(arch: Architecture, r: Reader): ModelWeights {
  const d = arch.dModel;
  const qSize = arch.nHeads * arch.headDim;
  const kvSize = arch.nKvHeads * arch.headDim;
  const blocks: BlockWeights[] = [];
  for (let l = 0; l < arch.nLayers; l++) {
    const b = `model.layers.${l}`;
    const a = `${b}.self_attn`;
    const m = `${b}.mlp`;
    const bias = (on: boolean, name: string, size: number) => (on ? r.vector(name, size) : null);
    blocks.push({
      norm1: { weight: r.vector(`${b}.input_layernorm.weight`, d), bias: null },
      norm2: { weight: r.vector(`${b}.post_attention_layernorm.weight`, d), bias: null },
      query: tf.tensor2d(r.linearT(`${a}.q_proj.weight`, d, qSize), [d, qSize]),
      queryBias: bias(arch.attention.qkvBias, `${a}.q_proj.bias`, qSize),
      key: tf.tensor2d(r.linearT(`${a}.k_proj.weight`, d, kvSize), [d, kvSize]),
      keyBias: bias(arch.attention.qkvBias, `${a}.k_proj.bias`, kvSize),
      value: tf.tensor2d(r.linearT(`${a}.v_proj.weight`, d, kvSize), [d, kvSize]),
      valueBias: bias(arch.attention.qkvBias, `${a}.v_proj.bias`, kvSize),
      out: tf.tensor2d(r.linearT(`${a}.o_proj.weight`, qSize, d), [qSize, d]),
      outBias: bias(arch.attention.outBias, `${a}.o_proj.bias`, d),
      mlpIn: tf.tensor2d(r.linearT(`${m}.up_proj.weight`, d, arch.dMlp), [d, arch.dMlp]),
      mlpInBias: bias(arch.mlp.bias, `${m}.up_proj.bias`, arch.dMlp),
      mlpGate: tf.tensor2d(r.linearT(`${m}.gate_proj.weight`, d, arch.dMlp), [d, arch.dMlp]),
      mlpGateBias: bias(arch.mlp.bias, `${m}.gate_proj.bias`, arch.dMlp),
      mlpOut: tf.tensor2d(r.linearT(`${m}.down_proj.weight`, arch.dMlp, d), [arch.dMlp, d]),
      mlpOutBias: bias(arch.mlp.bias, `${m}.down_proj.bias`, d),
    });
  }
  const embedData = r.read("model.embed_tokens.weight", [arch.vocabSize, d]);
  const headData =
    !arch.tiedHead && r.has("lm_head.weight") ? r.read("lm_head.weight", [arch.vocabSize, d]) : embedData;
  return {
    embed: tf.tensor2d(embedData, [arch.vocabSize, d]),
    positions: null,
    blocks,
    finalNorm: { weight: r.vector("model.norm.weight", d), bias: null },
    unembed: tf.tensor2d(transpose2d(headData, arch.vocabSize, d), [d, arch.vocabSize]),
  };
}

/** Reads every weight the architecture needs from the source into tfjs tensors, laid out for the forward pass. */
export function loadWeights(arch: Architecture, source: WeightSource): ModelWeights {
  const reader = new Reader(source);
  // tidy keeps the returned tensors and disposes those made before a failure.
  const build = () => (arch.layout === "gpt2" ? gpt2Weights(arch, reader) : llamaWeights(arch, reader));
  return tf.tidy(build as unknown as () => tf.TensorContainer) as unknown as ModelWeights;
}

/** Every tensor of a weight set, for disposal. */
export function weightTensors(weights: ModelWeights): tf.Tensor[] {
  const norm = (n: NormWeights) => (n.bias ? [n.weight, n.bias] : [n.weight]);
  const out: (tf.Tensor | null)[] = [weights.embed, weights.positions, weights.unembed, ...norm(weights.finalNorm)];
  for (const b of weights.blocks) {
    out.push(...norm(b.norm1), ...norm(b.norm2), b.query, b.queryBias, b.key, b.keyBias, b.value, b.valueBias);
    out.push(b.out, b.outBias, b.mlpIn, b.mlpInBias, b.mlpGate, b.mlpGateBias, b.mlpOut, b.mlpOutBias);
  }
  return out.filter((t): t is tf.Tensor => t !== null);
}
