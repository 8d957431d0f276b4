import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { generate } from "../lm/generate.js";
import { loadModel } from "../lm/load-model.js";
import { argmax } from "../lm/sampling.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { WriteHook } from "../lm/types.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens } from "../sae/saelens.js";
import { fixturePath } from "../testing/fixtures.js";
import { type SteerFeature, SteerInputError, saeHookFor } from "./features.js";
import { saeSteeringHook } from "./hook.js";
import { steerGenerate } from "./steer.js";

const PROMPT = "The Congress shall have power to lay and collect taxes";
let model: TransformerModel;
let sae: Sae;
let hook: string;

before(async () => {
  model = await loadModel(fixturePath("models", "sotu-gpt2-6l"), { backend: "auto" });
  sae = loadSaeLens(fixturePath("saes", "sotu-gpt2-6l-L3-standard-1024"));
  hook = saeHookFor(sae, model.info, "sae");
});
after(() => {
  model.dispose();
  sae.dispose();
});

/** Unsteered x at the hook [T·d] of the prompt. */
function activations(ids: number[]): Float32Array {
  const { hooks, logits } = model.forward([ids], { hooks: [hook], logits: false });
  logits?.dispose();
  const x = hooks[hook]!.dataSync() as Float32Array;
  tf.dispose(Object.values(hooks));
  return x;
}

/** The formulas on the host, in float64: x + Σ_clamp (v − f_k(x))·W_dec[k] + Σ_add v·W_dec[k]. */
function steeredByFormula(x: Float32Array, features: readonly SteerFeature[]): Float32Array {
  const d = sae.dIn;
  const m = sae.dSae;
  const rows = x.length / d;
  const f = sae.encode(x);
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < d; c++) {
      let value = x[r * d + c]!;
      for (const { index, mode, value: v } of features) {
        const coef = mode === "add" ? v : v - f[r * m + index]!;
        value += coef * sae.weights.W_dec[index * d + c]!;
      }
      out[r * d + c] = value;
    }
  }
  return out;
}

/** The most active feature of the prompt (largest code summed over its positions). */
function strongFeatures(ids: number[], count: number): number[] {
  const f = sae.encode(activations(ids));
  const m = sae.dSae;
  const sums = new Float64Array(m);
  for (let i = 0; i < f.length; i++) sums[i % m]! += f[i]!;
  return Array.from(sums.keys())
    .sort((a, b) => sums[b]! - sums[a]!)
    .slice(0, count);
}

function logitsWith(ids: number[], writeHooks: Record<string, WriteHook>): Float32Array {
  const { logits } = model.forward([ids], { writeHooks });
  const data = logits!.dataSync() as Float32Array;
  logits!.dispose();
  return data;
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

test("steered logits equal the formulas applied directly at the hook: add, clamp, one and two features", () => {
  const ids = model.encode(PROMPT);
  const x = activations(ids);
  const [first, second] = strongFeatures(ids, 2) as [number, number];
  const cases: SteerFeature[][] = [
    [{ index: first, mode: "add", value: 6 }],
    [{ index: first, mode: "clamp", value: 0 }],
    [{ index: first, mode: "clamp", value: 9 }],
    [
      { index: first, mode: "clamp", value: 0 },
      { index: second, mode: "add", value: -4 },
    ],
    [
      { index: first, mode: "clamp", value: 5 },
      { index: second, mode: "clamp", value: 3 },
    ],
  ];
  for (const features of cases) {
    const expected = steeredByFormula(x, features);
    const replace: WriteHook = (activation) => tf.tensor3d(expected, activation.shape);
    const direct = logitsWith(ids, { [hook]: replace });
    const before = tf.memory().numTensors;
    const steered = logitsWith(ids, { [hook]: saeSteeringHook(sae, features) });
    assert.equal(tf.memory().numTensors, before, "the hook leaks no tensors");
    const error = maxAbs(steered, direct);
    assert.ok(error <= 1e-4, `${JSON.stringify(features)}: max |Δlogit| ${error}`);
    assert.ok(maxAbs(steered, logitsWith(ids, {})) > 1e-2, "steering changed the logits");
  }
});

test("clamping a strongly active feature to 0 changes the greedy continuation", () => {
  const prompt = "The people of the United States";
  const ids = model.encode(prompt);
  const feature = 647;
  const last = sae.encode(activations(ids)).subarray((ids.length - 1) * sae.dSae);
  assert.ok(last[feature]! > 2, `feature ${feature} is strongly active on the prompt's last token (${last[feature]})`);
  const result = steerGenerate(model, sae, hook, prompt, [{ index: feature, mode: "clamp", value: 0 }], {
    maxNewTokens: 12,
    stopTokens: [],
  });
  assert.deepEqual(result.baseline.tokenIds, generate(model, prompt, { maxTokens: 12, stopTokens: [] }).tokenIds);
  assert.notDeepEqual(result.steered.tokenIds, result.baseline.tokenIds);
  assert.equal(result.logProbDiff.length, result.steered.tokenIds.length);
  assert.ok(result.logProbDiff.every(Number.isFinite));
  assert.ok(Math.abs(result.logProbDiff[0]!) > 1e-3, "steering changed the first token's log-probability");
  assert.equal(result.steered.tokens.join(""), result.steered.text);
});

test("steered generation through the key/value cache equals recomputing the whole sequence at every step", () => {
  const ids = model.encode(PROMPT);
  const features: SteerFeature[] = [{ index: strongFeatures(ids, 1)[0]!, mode: "add", value: 8 }];
  const hooks = { [hook]: saeSteeringHook(sae, features) };
  const seq = [...ids];
  for (let i = 0; i < 8; i++) {
    const logits = logitsWith(seq, hooks);
    const vocab = model.info.vocabSize;
    seq.push(argmax(logits.subarray((seq.length - 1) * vocab, seq.length * vocab)));
  }
  const result = steerGenerate(model, sae, hook, ids, features, { maxNewTokens: 8, stopTokens: [] });
  assert.deepEqual(result.steered.tokenIds, seq.slice(ids.length));
});

test("seeded sampling draws the baseline and the steered text with the same seed, reproducibly", () => {
  const features: SteerFeature[] = [{ index: 3, mode: "add", value: 0 }];
  const a = steerGenerate(model, sae, hook, PROMPT, features, { maxNewTokens: 10, seed: 7, stopTokens: [] });
  const b = steerGenerate(model, sae, hook, PROMPT, features, { maxNewTokens: 10, seed: 7, stopTokens: [] });
  assert.deepEqual(a, b);
  assert.deepEqual(a.steered.tokenIds, a.baseline.tokenIds, "adding 0 samples the same text with the same seed");
  for (const diff of a.logProbDiff) assert.ok(Math.abs(diff) < 1e-4);
  const other = steerGenerate(model, sae, hook, PROMPT, features, { maxNewTokens: 10, seed: 8, stopTokens: [] });
  assert.notDeepEqual(other.baseline.tokenIds, a.baseline.tokenIds);
});

test("bad steering input is refused naming the argument", () => {
  const run = (features: SteerFeature[], options: { maxNewTokens: number }, prompt = PROMPT) =>
    steerGenerate(model, sae, hook, prompt, features, options);
  const refused = (fn: () => unknown, argument: string, pattern: RegExp) =>
    assert.throws(
      fn,
      (e: unknown) => e instanceof SteerInputError && e.argument === argument && pattern.test(e.message),
    );
  refused(() => run([{ index: 1024, mode: "add", value: 1 }], { maxNewTokens: 4 }), "index", /0\.\.1023/);
  refused(() => run([{ index: 1, mode: "add", value: Number.NaN }], { maxNewTokens: 4 }), "value", /finite/);
  refused(
    () => run([{ index: 1, mode: "add", value: Number.POSITIVE_INFINITY }], { maxNewTokens: 4 }),
    "value",
    /finite/,
  );
  refused(() => run([{ index: 1, mode: "scale" as "add", value: 1 }], { maxNewTokens: 4 }), "mode", /add or clamp/);
  const nine = Array.from({ length: 9 }, (_, i) => ({ index: i, mode: "add" as const, value: 1 }));
  refused(() => run(nine, { maxNewTokens: 4 }), "features", /at most 8/);
  refused(() => run([], { maxNewTokens: 65 }), "maxNewTokens", /1 to 64/);
  refused(() => run([], { maxNewTokens: 4 }, " the".repeat(260)), "prompt", /context of 256/);
  const otherHook = { ...sae.cfg, metadata: { ...sae.cfg.metadata, hook_name: "blocks.9.hook_resid_post" } };
  refused(
    () => saeHookFor({ ...sae, cfg: otherHook, dIn: sae.dIn } as unknown as Sae, model.info, "--steer-sae"),
    "--steer-sae",
    /does not fit/,
  );
  refused(
    () => saeHookFor({ cfg: sae.cfg, dIn: 128 } as unknown as Sae, model.info, "--steer-sae"),
    "--steer-sae",
    /reads 128 dimensions but .* has 256/,
  );
});
