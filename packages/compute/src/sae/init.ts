/** SAELens weight initialisation: random decoder rows scaled to a set norm, encoder = decoder transpose, zero biases. */
import { normalArray, type Rng } from "../stats/rng.js";
import type { SaeConfig, SaeWeights } from "./types.js";

export function tiedInitWeights(cfg: SaeConfig, rng: Rng, options: { decoderInitNorm: number }): SaeWeights {
  const { d_in: d, d_sae: m } = cfg;
  const W_dec = normalArray(m * d, rng);
  for (let i = 0; i < m; i++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += W_dec[i * d + j]! ** 2;
    const scale = options.decoderInitNorm / Math.sqrt(sq);
    for (let j = 0; j < d; j++) W_dec[i * d + j]! *= scale;
  }
  const W_enc = new Float32Array(d * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) W_enc[j * m + i] = W_dec[i * d + j]!;
  return { W_enc, W_dec, b_enc: new Float32Array(m), b_dec: new Float32Array(d) };
}
