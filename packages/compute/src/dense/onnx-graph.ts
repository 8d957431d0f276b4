/**
 * Writes the few ONNX models the dense-product engine runs: a linear layer (its weight and bias baked in), the MLP
 * and the causal attention core. ONNX files are protocol buffers; these graphs need only a handful of message fields,
 * encoded here directly (field numbers from onnx.proto) instead of pulling in a protobuf library.
 */

import type { Activation } from "../lm/config.js";

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;
const IR_VERSION = 8;
const OPSET = 17;

function varint(value: number): Uint8Array {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Uint8Array.from(out);
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, value: number) => join([key(field, WIRE_VARINT), varint(value)]);
const bytes = (field: number, value: Uint8Array) => join([key(field, WIRE_BYTES), varint(value.length), value]);
const text = (field: number, value: string) => bytes(field, new TextEncoder().encode(value));
const message = (field: number, ...parts: Uint8Array[]) => bytes(field, join(parts));

/** A dimension: a fixed size, or a name for a size given at run time. */
type Dim = number | string;

/** ValueInfoProto of a float tensor (graph input 11 / output 12). */
function floatValue(field: number, name: string, dims: readonly Dim[]): Uint8Array {
  const shape = dims.map((d) => message(1, typeof d === "number" ? int(1, d) : text(2, d)));
  return message(field, text(1, name), message(2, message(1, int(1, FLOAT), message(2, ...shape))));
}

/** TensorProto initializer (graph field 5). */
function initializer(name: string, dims: readonly number[], data: Float32Array | BigInt64Array): Uint8Array {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const type = data instanceof Float32Array ? FLOAT : INT64;
  return message(5, ...dims.map((d) => int(1, d)), int(2, type), text(8, name), bytes(9, raw));
}

type Attribute = { name: string } & ({ int: number } | { ints: readonly number[] });

function attribute(a: Attribute): Uint8Array {
  if ("int" in a) return message(5, text(1, a.name), int(3, a.int), int(20, ATTRIBUTE_INT));
  return message(5, text(1, a.name), ...a.ints.map((i) => int(8, i)), int(20, ATTRIBUTE_INTS));
}

function node(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Attribute[] = []): Uint8Array {
  return message(
    1,
    ...inputs.map((i) => text(1, i)),
    ...outputs.map((o) => text(2, o)),
    text(4, op),
    ...attrs.map(attribute),
  );
}

function model(graph: Uint8Array[]): Uint8Array {
  return join([
    int(1, IR_VERSION),
    text(2, "interlace"),
    message(7, text(2, "interlace"), ...graph),
    message(8, text(1, ""), int(2, OPSET)),
  ]);
}

/** y [rows, out] = x [rows, in] · weight [in, out] (+ bias [out]). */
export function linearModel(weight: Float32Array, dIn: number, dOut: number, bias: Float32Array | null): Uint8Array {
  if (weight.length !== dIn * dOut)
    throw new Error(`linearModel: weight has ${weight.length} values, not ${dIn}×${dOut}.`);
  if (bias && bias.length !== dOut) throw new Error(`linearModel: bias has ${bias.length} values, not ${dOut}.`);
  return model([
    ...dense("x", "y", weight, bias, [dIn, dOut]),
    floatValue(11, "x", ["rows", dIn]),
    floatValue(12, "y", ["rows", dOut]),
  ]);
}

/** y [rows, out] = a [rows, inner] · b [inner, out] with both operands given at run time (weights that train). */
export function productModel(): Uint8Array {
  return model([
    node("MatMul", ["a", "b"], ["y"]),
    floatValue(11, "a", ["rows", "inner"]),
    floatValue(11, "b", ["inner", "out"]),
    floatValue(12, "y", ["rows", "out"]),
  ]);
}

/**
 * Causal attention core for queries q [batch, seq, heads, headDim], keys k and values v [batch, keys, heads, headDim]
 * (key/value heads already repeated for grouped queries) and an additive mask [seq, keys]:
 * context [batch·seq, heads·headDim] = softmax(q·kᵀ/√headDim + mask)·v.
 */
export function attentionModel(heads: number, headDim: number): Uint8Array {
  return model([
    node("Transpose", ["q"], ["qh"], [{ name: "perm", ints: [0, 2, 1, 3] }]),
    node("Transpose", ["k"], ["kt"], [{ name: "perm", ints: [0, 2, 3, 1] }]),
    node("Transpose", ["v"], ["vh"], [{ name: "perm", ints: [0, 2, 1, 3] }]),
    node("MatMul", ["qh", "kt"], ["raw"]),
    node("Mul", ["raw", "scale"], ["scaled"]),
    node("Add", ["scaled", "mask"], ["scores"]),
    node("Softmax", ["scores"], ["probs"], [{ name: "axis", int: -1 }]),
    node("MatMul", ["probs", "vh"], ["ctx"]),
    node("Transpose", ["ctx"], ["ctxt"], [{ name: "perm", ints: [0, 2, 1, 3] }]),
    node("Reshape", ["ctxt", "shape"], ["y"]),
    initializer("scale", [], Float32Array.of(1 / Math.sqrt(headDim))),
    initializer("shape", [2], BigInt64Array.of(-1n, BigInt(heads * headDim))),
    floatValue(11, "q", ["batch", "seq", heads, headDim]),
    floatValue(11, "k", ["batch", "keys", heads, headDim]),
    floatValue(11, "v", ["batch", "keys", heads, headDim]),
    floatValue(11, "mask", ["seq", "keys"]),
    floatValue(12, "y", ["rows", heads * headDim]),
  ]);
}

/** The weights of a transformer MLP: y = act(x·W_in + b_in) [⊙ (x·W_gate + b_gate)] · W_out + b_out. */
export interface MlpArrays {
  dModel: number;
  dMlp: number;
  inWeight: Float32Array;
  inBias: Float32Array | null;
  gateWeight: Float32Array | null;
  gateBias: Float32Array | null;
  outWeight: Float32Array;
  outBias: Float32Array | null;
}

/** Nodes computing `output = activation(input)` with the same formulas as the tfjs forward pass (lm/layers.ts). */
function activationNodes(kind: Activation, input: string, output: string): Uint8Array[] {
  const constant = (name: string, value: number) => initializer(name, [], Float32Array.of(value));
  switch (kind) {
    case "gelu_new":
      return [
        node("Mul", [input, input], ["a_sq"]),
        node("Mul", ["a_sq", input], ["a_cube"]),
        node("Mul", ["a_cube", "a_c1"], ["a_scaled"]),
        node("Add", [input, "a_scaled"], ["a_sum"]),
        node("Mul", ["a_sum", "a_c2"], ["a_inner"]),
        node("Sigmoid", ["a_inner"], ["a_sig"]),
        node("Mul", [input, "a_sig"], [output]),
        constant("a_c1", 0.044715),
        constant("a_c2", 2 * Math.sqrt(2 / Math.PI)),
      ];
    case "gelu":
      return [
        node("Mul", [input, "a_rsqrt2"], ["a_z"]),
        node("Erf", ["a_z"], ["a_erf"]),
        node("Add", ["a_erf", "a_one"], ["a_plus"]),
        node("Mul", [input, "a_plus"], ["a_prod"]),
        node("Mul", ["a_prod", "a_half"], [output]),
        constant("a_rsqrt2", Math.SQRT1_2),
        constant("a_one", 1),
        constant("a_half", 0.5),
      ];
    case "silu":
      return [node("Sigmoid", [input], ["a_sig"]), node("Mul", [input, "a_sig"], [output])];
    case "relu":
      return [node("Relu", [input], [output])];
  }
}

/**
 * `name` = x·weight (+ bias) as MatMul (+ Add): measured here, MLAS runs MatMul faster than Gemm on the wide products
 * (the unembedding: ≈ 100 vs 150 ms), and the optimiser still fuses the bias where that pays.
 */
function dense(x: string, name: string, weight: Float32Array, bias: Float32Array | null, dims: [number, number]) {
  return [
    node("MatMul", [x, `${name}_w`], [bias ? `${name}_xw` : name]),
    initializer(`${name}_w`, dims, weight),
    ...(bias ? [node("Add", [`${name}_xw`, `${name}_b`], [name]), initializer(`${name}_b`, [dims[1]], bias)] : []),
  ];
}

/** The whole MLP as one graph, so its wide hidden activation never leaves ONNX Runtime: x [rows, d] → y [rows, d]. */
export function mlpModel(w: MlpArrays, activation: Activation): Uint8Array {
  const { dModel: d, dMlp: h } = w;
  return model([
    ...dense("x", "up", w.inWeight, w.inBias, [d, h]),
    ...(w.gateWeight
      ? [
          ...dense("x", "gate", w.gateWeight, w.gateBias, [d, h]),
          ...activationNodes(activation, "gate", "gate_act"),
          node("Mul", ["gate_act", "up"], ["hidden"]),
        ]
      : activationNodes(activation, "up", "hidden")),
    ...dense("hidden", "y", w.outWeight, w.outBias, [h, d]),
    floatValue(11, "x", ["rows", d]),
    floatValue(12, "y", ["rows", d]),
  ]);
}
