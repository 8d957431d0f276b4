/**
 * Latency of reading a study on new text, as the server answers it (StudyReader: one worker thread, LRU of loaded
 * studies): `steer` with 16 new tokens (one clamped feature; baseline + steered generation through the key/value
 * cache, plus the two passes for the log-prob differences) and `analyzeText` on a 200-token text, each cold (a fresh
 * reader: thread start, backend, model, SAE and NFM loaded) and warm (the same request again, median of 5). The study
 * is the fixture model's layer-3 SAE with a K = 16 NFM (testing/readable-study.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sotuCorpus } from "../src/corpus/builtin.js";
import { loadModel } from "../src/lm/load-model.js";
import { StudyReader } from "../src/steering/study-reader.js";
import { fixturePath } from "../src/testing/fixtures.js";
import { writeReadableStudy } from "../src/testing/readable-study.js";

const PROMPT = "The people of the United States";

async function heldOutText(tokens: number): Promise<{ text: string; tokens: number }> {
  const model = await loadModel(fixturePath("models", "sotu-gpt2-6l"), { backend: "auto" });
  try {
    let text = "";
    for await (const doc of sotuCorpus().documents()) if (doc.id === "1993_william_j_clinton_d.txt") text = doc.text;
    const cut = model.tokenizer.decode(model.encode(text).slice(0, tokens));
    return { text: cut, tokens: model.encode(cut).length };
  } finally {
    model.dispose();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchSteering(): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), "bench-steering-"));
  const study = { workDir: writeReadableStudy(join(work, "study")), modelDir: fixturePath("models", "sotu-gpt2-6l") };
  const { text, tokens } = await heldOutText(200);
  const steerRequest = {
    prompt: PROMPT,
    features: [{ index: 647, mode: "clamp" as const, value: 0 }],
    maxNewTokens: 16,
    seed: null,
  };
  const out: Record<string, unknown> = { analyzeTokens: tokens, steerNewTokens: 16 };
  try {
    for (const kind of ["steer", "analyzeText"] as const) {
      const reader = new StudyReader({ backend: "auto", cacheSize: 2 });
      try {
        const run = () => (kind === "steer" ? reader.steer(study, steerRequest) : reader.analyze(study, text));
        const started = Date.now();
        const cold = await run();
        const coldWallMs = Date.now() - started;
        const warm: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = Date.now();
          await run();
          warm.push(Date.now() - t);
        }
        out[kind] = {
          coldWallMs,
          coldWorkerMs: cold.totalMs,
          coldLoadMs: cold.loadMs,
          warmMedianMs: median(warm),
          warmMs: warm,
        };
      } finally {
        await reader.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
