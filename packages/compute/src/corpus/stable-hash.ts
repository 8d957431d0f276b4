import { createHash } from "node:crypto";

/** A number in [0, 1) fixed by the seed and the key: the same on every machine and every run. */
export function stableUnitHash(seed: number, key: string): number {
  const digest = createHash("sha256").update(`${seed}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
