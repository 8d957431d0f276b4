/** Test support: the fixture model, its layer-3 SAE, and windows of a document the model was not trained on. */
import { join } from "node:path";
import { sotuCorpus } from "../corpus/builtin.js";
import { loadModel } from "../lm/load-model.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens } from "../sae/saelens.js";
import { fixturesDir } from "./fixtures.js";

/** Loads sotu-gpt2-6l with its blocks.3.hook_resid_post SAE and cuts a held-out document (split.json) into windows. */
export async function loadFixturePair(
  windowCount: number,
  windowLength: number,
): Promise<{ model: TransformerModel; sae: Sae; windows: number[][] }> {
  const model = await loadModel(join(fixturesDir, "models", "sotu-gpt2-6l"), { backend: "auto" });
  const sae = loadSaeLens(join(fixturesDir, "saes", "sotu-gpt2-6l-L3-standard-1024"));
  let text = "";
  for await (const doc of sotuCorpus().documents()) {
    if (doc.id === "1993_william_j_clinton_d.txt") text = doc.text;
  }
  const ids = model.encode(text);
  const windows = Array.from({ length: windowCount }, (_, w) => ids.slice(w * windowLength, (w + 1) * windowLength));
  return { model, sae, windows };
}
