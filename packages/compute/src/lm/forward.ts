/**
 * One forward pass for every supported architecture, driven by `Architecture` data.
 * Read hooks return activations; write hooks replace them (per position, any batch row).
 */
import * as tf from "@tensorflow/tfjs";
import type { DenseProducts } from "../dense/dense-products.js";
import type { Architecture } from "./config.js";
import { causalMask, normalize } from "./layers.js";
import type { BlockWeights, ModelWeights } from "./loader.js";
import { applyRope, type RopeTables } from "./rope.js";
import { type ForwardOptions, type ForwardResult, HOOK_KINDS, type HookKind, type WriteHook } from "./types.js";

/** Keys and values of earlier positions, per layer: [batch, past, kvHeads, headDim]. */
export interface KvCache {
  layers: ({ k: tf.Tensor4D; v: tf.Tensor4D } | null)[];
  /** Positions already processed. */
  length: number;
}

export interface ModelParts {
  arch: Architecture;
  weights: ModelWeights;
  rope: RopeTables | null;
  /** The engine that runs the linear layers and the attention core. */
  dense: DenseProducts;
}

const HOOK_PATTERN = /^blocks\.(\d+)\.(hook_[a-z_]+)$/;

/** Parses and checks a hook name against the model; the error lists the valid forms. */
export function parseHookName(name: string, nLayers: number): { layer: number; kind: HookKind } {
  const match = HOOK_PATTERN.exec(name);
  const layer = match ? Number(match[1]) : -1;
  const kind = match?.[2] as HookKind | undefined;
  if (!match || !kind || !(HOOK_KINDS as readonly string[]).includes(kind) || layer >= nLayers) {
    throw new Error(`Unknown hook "${name}": use blocks.L.${HOOK_KINDS.join("|")} with L in 0…${nLayers - 1}.`);
  }
  return { layer, kind };
}

export function freeCache(cache: KvCache): void {
  for (const entry of cache.layers) {
    entry?.k.dispose();
    entry?.v.dispose();
  }
  cache.layers = cache.layers.map(() => null);
  cache.length = 0;
}

function checkIds(ids: readonly (readonly number[])[], arch: Architecture, offset: number): number {
  const first = ids[0];
  if (!first || first.length === 0) throw new Error("forward: ids must hold at least one row of at least one token.");
  const seq = first.length;
  for (const row of ids) {
    if (row.length !== seq)
      throw new Error("forward: every row of ids must have the same length; pad or batch by length.");
    for (const id of row) {
      if (!Number.isInteger(id) || id < 0 || id >= arch.vocabSize) {
        throw new Error(`forward: token id ${id} is outside the vocabulary 0…${arch.vocabSize - 1}.`);
      }
    }
  }
  if (arch.positions.kind === "learned" && offset + seq > arch.maxPositions) {
    throw new Error(
      `forward: ${offset + seq} positions exceed the model's context of ${arch.maxPositions}; shorten the input.`,
    );
  }
  return seq;
}

function embed(parts: ModelParts, ids: readonly (readonly number[])[], seq: number, offset: number): tf.Tensor3D {
  return tf.tidy(() => {
    const flat = tf.tensor1d(ids.flat(), "int32");
    let x = tf.gather(parts.weights.embed, flat).reshape([ids.length, seq, parts.arch.dModel]);
    if (parts.weights.positions) x = x.add(parts.weights.positions.slice([offset, 0], [seq, parts.arch.dModel]));
    return x as tf.Tensor3D;
  });
}

/** Repeats each key/value head for the query heads sharing it: [b, t, kv, hd] → [b, t, kv·group, hd]. */
function repeatHeads(x: tf.Tensor4D, group: number): tf.Tensor4D {
  if (group === 1) return x;
  const [b, t, kv, hd] = x.shape;
  return x
    .reshape([b, t, kv, 1, hd])
    .tile([1, 1, 1, group, 1])
    .reshape([b, t, kv * group, hd]) as tf.Tensor4D;
}

/** Causal self-attention: projections, rotary positions, the key/value cache, then the engine's attention core. */
function attention(
  parts: ModelParts,
  block: BlockWeights,
  h: tf.Tensor2D,
  batch: number,
  seq: number,
  offset: number,
  mask: tf.Tensor4D,
  past: { k: tf.Tensor4D; v: tf.Tensor4D } | null,
): { out: tf.Tensor2D; k: tf.Tensor4D; v: tf.Tensor4D } {
  const { nHeads, nKvHeads, headDim } = parts.arch;
  const { dense } = parts;
  let q = dense.linear(h, block.query, block.queryBias).reshape([batch, seq, nHeads, headDim]) as tf.Tensor4D;
  let k = dense.linear(h, block.key, block.keyBias).reshape([batch, seq, nKvHeads, headDim]) as tf.Tensor4D;
  let v = dense.linear(h, block.value, block.valueBias).reshape([batch, seq, nKvHeads, headDim]) as tf.Tensor4D;
  if (parts.rope) {
    q = applyRope(q, parts.rope, offset);
    k = applyRope(k, parts.rope, offset);
  }
  if (past) {
    k = tf.concat([past.k, k], 1);
    v = tf.concat([past.v, v], 1);
  }
  const group = nHeads / nKvHeads;
  const context = dense.attention(q, repeatHeads(k, group), repeatHeads(v, group), mask);
  return { out: dense.linear(context, block.out, block.outBias), k, v };
}

function mlp(parts: ModelParts, block: BlockWeights, h: tf.Tensor2D): tf.Tensor2D {
  const weights = {
    in: block.mlpIn,
    inBias: block.mlpInBias,
    gate: block.mlpGate,
    gateBias: block.mlpGateBias,
    out: block.mlpOut,
    outBias: block.mlpOutBias,
  };
  return parts.dense.mlp(h, weights, parts.arch.mlp.activation);
}

interface BlockStep {
  x: tf.Tensor3D;
  hooks: Record<string, tf.Tensor3D>;
  k: tf.Tensor4D;
  v: tf.Tensor4D;
}

function runBlock(
  parts: ModelParts,
  layer: number,
  input: tf.Tensor3D,
  offset: number,
  mask: tf.Tensor4D,
  past: { k: tf.Tensor4D; v: tf.Tensor4D } | null,
  wanted: ReadonlySet<string>,
  writes: Readonly<Record<string, WriteHook>>,
): BlockStep {
  const { arch } = parts;
  const block = parts.weights.blocks[layer]!;
  const [batch, seq, d] = input.shape;
  return tf.tidy(() => {
    const hooks: Record<string, tf.Tensor3D> = {};
    const at = (kind: HookKind, value: tf.Tensor3D): tf.Tensor3D => {
      const name = `blocks.${layer}.${kind}`;
      const write = writes[name];
      if (write) {
        const replaced = write(value);
        if (replaced.shape.join() !== value.shape.join()) {
          throw new Error(`write hook ${name} returned shape [${replaced.shape}], expected [${value.shape}].`);
        }
        value = replaced;
      }
      if (wanted.has(name)) hooks[name] = value.clone();
      return value;
    };
    const x = at("hook_resid_pre", input);
    const flat = (t: tf.Tensor3D) => t.reshape([batch * seq, d]) as tf.Tensor2D;
    const attn = attention(
      parts,
      block,
      flat(normalize(x, arch.norm.kind, arch.norm.eps, block.norm1)),
      batch,
      seq,
      offset,
      mask,
      past,
    );
    const attnOut = at("hook_attn_out", attn.out.reshape([batch, seq, d]));
    const mid = x.add(attnOut) as tf.Tensor3D;
    const mlpOut = at(
      "hook_mlp_out",
      mlp(parts, block, flat(normalize(mid, arch.norm.kind, arch.norm.eps, block.norm2))).reshape([batch, seq, d]),
    );
    const out = at("hook_resid_post", mid.add(mlpOut));
    return { x: out, hooks, k: attn.k, v: attn.v };
  });
}

/**
 * Runs the model on ids [batch][seq]. With a cache, the ids continue the cached positions and the cache is extended.
 * The caller disposes the returned tensors.
 */
export function runForward(
  parts: ModelParts,
  ids: readonly (readonly number[])[],
  options: ForwardOptions = {},
  cache?: KvCache,
): ForwardResult {
  const { arch } = parts;
  const offset = cache?.length ?? 0;
  const seq = checkIds(ids, arch, offset);
  const wanted = new Set(options.hooks ?? []);
  const writes = options.writeHooks ?? {};
  let lastLayer = arch.nLayers - 1;
  for (const name of [...wanted, ...Object.keys(writes)]) parseHookName(name, arch.nLayers);
  if (options.stopAtLayer !== undefined) {
    if (!Number.isInteger(options.stopAtLayer) || options.stopAtLayer < 0 || options.stopAtLayer >= arch.nLayers) {
      throw new Error(`forward: stopAtLayer ${options.stopAtLayer} must be a layer 0…${arch.nLayers - 1}.`);
    }
    lastLayer = options.stopAtLayer;
    for (const name of wanted) {
      if (parseHookName(name, arch.nLayers).layer > lastLayer) {
        throw new Error(
          `forward: hook ${name} lies after stopAtLayer ${lastLayer}; raise stopAtLayer or drop the hook.`,
        );
      }
    }
  }
  const hooks: Record<string, tf.Tensor3D> = {};
  const mask = causalMask(seq, offset);
  let x = embed(parts, ids, seq, offset);
  try {
    for (let layer = 0; layer <= lastLayer; layer++) {
      const past = cache?.layers[layer] ?? null;
      const step = runBlock(parts, layer, x, offset, mask, past, wanted, writes);
      x.dispose();
      x = step.x;
      Object.assign(hooks, step.hooks);
      if (cache) {
        past?.k.dispose();
        past?.v.dispose();
        cache.layers[layer] = { k: step.k, v: step.v };
      } else {
        step.k.dispose();
        step.v.dispose();
      }
    }
    if (cache) cache.length = offset + seq;
    const result: ForwardResult = { hooks };
    if (options.logits !== false && lastLayer === arch.nLayers - 1) {
      const final = x;
      result.logits = tf.tidy(() => {
        const [batch, , d] = final.shape;
        const normed = normalize(final, arch.norm.kind, arch.norm.eps, parts.weights.finalNorm);
        return parts.dense
          .linear(normed.reshape([batch * seq, d]) as tf.Tensor2D, parts.weights.unembed, null)
          .reshape([batch, seq, arch.vocabSize]) as tf.Tensor3D;
      });
    }
    return result;
  } catch (error) {
    for (const t of Object.values(hooks)) t.dispose();
    throw error;
  } finally {
    x.dispose();
    mask.dispose();
  }
}

/** An empty cache for a model of `nLayers` blocks. */
export function emptyCache(nLayers: number): KvCache {
  return { layers: Array.from({ length: nLayers }, () => null), length: 0 };
}
