/**
 * Two WebAssembly SIMD kernels for the sparse products, assembled here from their instructions (no toolchain):
 *   axpy(out, w, v, n): out[i] += v · w[i] for i < n
 *   dot(a, b, n) → Σ a[i] · b[i]
 * on float32 arrays addressed by byte offsets into one memory per thread (f32x4 lanes, then a scalar tail). The
 * arrays they read and write are allocated from that memory (KernelArena); a step reserves what it needs first.
 */

/** The part of the WebAssembly global used here (the project's Node typings do not declare it). */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
};

/** Unsigned LEB128. */
function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
const vector = (items: number[][]) => [...leb(items.length), ...items.flat()];
const name = (text: string) => [...leb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
const functionBody = (locals: number[][], code: number[]) => {
  const bytes = [...vector(locals), ...code, 0x0b];
  return [...leb(bytes.length), ...bytes];
};

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32Const = (v: number) => [0x41, ...(v >= 0 ? leb(v) : [v & 0x7f])];
const I32_ADD = 0x6a;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const F32_LOAD = [0x2a, 0x02, 0x00];
const F32_STORE = [0x38, 0x02, 0x00];
const F32_ADD = 0x92;
const F32_MUL = 0x94;
const V128_LOAD = [0xfd, 0x00, 0x04, 0x00];
const V128_STORE = [0xfd, 0x0b, 0x04, 0x00];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_SPLAT = [0xfd, 0x13];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const lane = (i: number) => [0xfd, 0x1f, i];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
/** while (local[p] < local[limit]) { body; local[p] += step (and the other pointers) } */
const loopWhileBelow = (p: number, limit: number, body: number[], advance: number[]) => [
  ...BLOCK,
  ...LOOP,
  ...get(p),
  ...get(limit),
  I32_GE_U,
  0x0d,
  1, // br_if out of the block
  ...body,
  ...advance,
  0x0c,
  0, // br to the loop's start
  END,
  END,
];
const advanceBy = (bytes: number, ...locals: number[]) =>
  locals.flatMap((l) => [...get(l), ...i32Const(bytes), I32_ADD, ...set(l)]);
/** local[target] = local[base] + (local[n] & mask) · 4 */
const endOf = (base: number, n: number, target: number, mask: boolean) => [
  ...get(base),
  ...get(n),
  ...(mask ? [...i32Const(-4), I32_AND] : []),
  ...i32Const(2),
  I32_SHL,
  I32_ADD,
  ...set(target),
];

// axpy(out=0, w=1, v=2, n=3); locals vv=4 (v128), end=5, end4=6.
const axpy = functionBody(
  [
    [1, V128],
    [2, I32],
  ],
  [
    ...get(2),
    ...F32X4_SPLAT,
    ...set(4),
    ...endOf(0, 3, 5, false),
    ...endOf(0, 3, 6, true),
    ...loopWhileBelow(
      0,
      6,
      [
        ...get(0),
        ...get(0),
        ...V128_LOAD,
        ...get(1),
        ...V128_LOAD,
        ...get(4),
        ...F32X4_MUL,
        ...F32X4_ADD,
        ...V128_STORE,
      ],
      advanceBy(16, 0, 1),
    ),
    ...loopWhileBelow(
      0,
      5,
      [...get(0), ...get(0), ...F32_LOAD, ...get(1), ...F32_LOAD, ...get(2), F32_MUL, F32_ADD, ...F32_STORE],
      advanceBy(4, 0, 1),
    ),
  ],
);

// dot(a=0, b=1, n=2) → f32; locals acc=3 (v128), end=4, end4=5, sum=6 (f32).
const dot = functionBody(
  [
    [1, V128],
    [2, I32],
    [1, F32],
  ],
  [
    ...V128_ZERO,
    ...set(3),
    ...endOf(0, 2, 4, false),
    ...endOf(0, 2, 5, true),
    ...loopWhileBelow(
      0,
      5,
      [...get(3), ...get(0), ...V128_LOAD, ...get(1), ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD, ...set(3)],
      advanceBy(16, 0, 1),
    ),
    ...get(3),
    ...lane(0),
    ...get(3),
    ...lane(1),
    F32_ADD,
    ...get(3),
    ...lane(2),
    ...get(3),
    ...lane(3),
    F32_ADD,
    F32_ADD,
    ...set(6),
    ...loopWhileBelow(
      0,
      4,
      [...get(6), ...get(0), ...F32_LOAD, ...get(1), ...F32_LOAD, F32_MUL, F32_ADD, ...set(6)],
      advanceBy(4, 0, 1),
    ),
    ...get(6),
  ],
);

const moduleBytes = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(
    1,
    vector([
      [0x60, ...vector([[I32], [I32], [F32], [I32]]), 0],
      [0x60, ...vector([[I32], [I32], [I32]]), ...vector([[F32]])],
    ]),
  ),
  ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
  ...section(3, vector([[0], [1]])),
  ...section(
    7,
    vector([
      [...name("axpy"), 0x00, 0],
      [...name("dot"), 0x00, 1],
    ]),
  ),
  ...section(10, vector([axpy, dot])),
]);

interface KernelExports {
  axpy(out: number, w: number, v: number, n: number): void;
  dot(a: number, b: number, n: number): number;
}

const PAGE = 65536;

/** Float32 arrays in the kernels' memory, handed out from a region reserved per step. */
export class KernelArena {
  readonly kernels: KernelExports;
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private top = 0;
  private reserved = 0;

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), { env: { memory: this.memory } });
    this.kernels = instance.exports as unknown as KernelExports;
  }

  /** Frees every array handed out so far and makes room for `floats` values (arrays from before are invalid). */
  reserve(floats: number): void {
    const bytes = floats * 4 + 16 * 64;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.top = 0;
    this.reserved = bytes;
  }

  /** A zeroed array of `length` values, 16-byte aligned. */
  alloc(length: number): Float32Array {
    const start = this.top;
    this.top = start + Math.ceil((length * 4) / 16) * 16;
    if (this.top > this.reserved) {
      throw new Error(`KernelArena: ${length} more values exceed the ${this.reserved} bytes reserved for this step.`);
    }
    const array = new Float32Array(this.memory.buffer, start, length);
    array.fill(0);
    return array;
  }

  /** The byte offset of an array allocated here. */
  address(array: Float32Array): number {
    if (array.buffer !== this.memory.buffer) {
      throw new Error("a sparse product's dense operand must be allocated from the KernelArena of this step.");
    }
    return array.byteOffset;
  }
}

let arena: KernelArena | null = null;

/** This thread's arena (one module instance and memory per thread). */
export function kernelArena(): KernelArena {
  arena ??= new KernelArena();
  return arena;
}
