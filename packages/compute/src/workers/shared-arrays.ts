/**
 * Typed arrays in shared memory, so worker threads read a study's rows without a copy of their own. Arrays that are
 * already shared are passed through as they are.
 */

/** A zeroed Float32Array of `length` values in shared memory. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

/** True when the array's memory is shared with worker threads. */
export function isShared(array: ArrayBufferView): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** The array itself when its memory is shared, else a copy in shared memory. */
export function shared<T extends Float32Array | Int32Array>(array: T): T {
  if (isShared(array)) return array;
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new (array.constructor as new (b: SharedArrayBuffer) => T)(buffer);
  copy.set(array);
  return copy;
}
