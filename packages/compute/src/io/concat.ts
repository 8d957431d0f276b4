/** Joining typed arrays end to end: one implementation for every place that stacks rows or parameter blocks. */

function lengthOf(parts: readonly ArrayLike<number>[]): number {
  return parts.reduce((n, part) => n + part.length, 0);
}

function fill<T extends Float32Array | Int32Array>(out: T, parts: readonly ArrayLike<number>[]): T {
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A new Float32Array holding `parts` one after another. */
export function concatFloat32(parts: readonly ArrayLike<number>[]): Float32Array {
  return fill(new Float32Array(lengthOf(parts)), parts);
}

/** A new Int32Array holding `parts` one after another. */
export function concatInt32(parts: readonly ArrayLike<number>[]): Int32Array {
  return fill(new Int32Array(lengthOf(parts)), parts);
}
