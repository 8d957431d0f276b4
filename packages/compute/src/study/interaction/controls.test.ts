import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { errorReduction } from "../../nfm/evaluate.js";
import { syntheticResidualData } from "../../nfm/synthetic.js";
import { GAINS } from "../evidence-tables.js";
import { runInteractionStudy } from "./controls.js";

await tf.setBackend("wasm");

const trainRows = Int32Array.from({ length: 2600 }, (_, i) => i);
const validationRows = Int32Array.from({ length: 400 }, (_, i) => 2600 + i);
const heldOutRows = Int32Array.from({ length: 800 }, (_, i) => 3000 + i);
const common = {
  trainRows,
  validationRows,
  heldOutRows,
  seeds: [0, 1],
  nfm: { k: 4, steps: 1500, batchSize: 256 },
  fitting: { lrGrid: [3e-3], evalEvery: 25, patience: 8, minDelta: 1e-4, lrDrops: 2, lrFactor: 0.3 },
  bootstrap: { resamples: 300 },
};

const covers0 = (e: { ci95: [number, number] } | null) => e !== null && e.ci95[0] <= 0 && 0 <= e.ci95[1];

test("every control runs; planted pairwise interactions of f give interaction gain and specificity CIs above 0", async () => {
  // Many features and a small K: the matched MLP gets few hidden units and cannot mimic the factorised pairs.
  const data = syntheticResidualData({ rows: 3800, dSae: 128, dIn: 12, activePerRow: 5, linear: 0.5, seed: 4 });
  const before = tf.memory().numTensors;
  const stages: string[] = [];
  const result = await runInteractionStudy(data, {
    ...common,
    residualSae: { dSae: 32, l1: 1, steps: 100, batchSize: 256 },
    onProgress: (p) => stages.push(p.model),
  });
  for (const r of [...Object.values(result.nfm), ...Object.values(result.controls)]) {
    assert.ok(r && Number.isFinite(r.er) && r.ci95[0] <= r.er && r.er <= r.ci95[1], JSON.stringify(r));
    assert.equal(r!.seeds.length, 2);
    assert.ok(r!.curve.length >= 2 && r!.val_er !== null && r!.train_er !== null, JSON.stringify(r));
    if (r!.fit === "closed_form") assert.ok(r!.ridge !== null && r!.lr === null && r!.epochs === null);
    else assert.ok(r!.lr === 3e-3 && r!.ridge === null && r!.epochs! > 0);
  }
  assert.equal(result.controls.linear_f!.fit, "closed_form");
  assert.equal(result.controls.linear_x!.fit, "closed_form");
  assert.equal(result.controls.linear_f_nl!.fit, "closed_form");
  assert.equal(
    result.converged,
    [...Object.values(result.nfm), ...Object.values(result.controls)].every((r) => r!.fit !== "budget_exhausted"),
  );
  assert.equal(result.controls.residual_sae!.by_l1.length, 3);
  const models: Record<string, { er: number } | null> = { ...result.nfm, ...result.controls };
  for (const gain of GAINS) {
    const { value, ci95 } = result[gain.name]!;
    const difference = models[gain.a]!.er - models[gain.b]!.er;
    assert.ok(Math.abs(value - difference) < 1e-9, `${gain.name} ${value} ≠ ER(${gain.a}) − ER(${gain.b})`);
    assert.ok(ci95[0] <= value && value <= ci95[1], `${gain.name}: ${value} outside ${ci95}`);
  }
  assert.ok(stages.includes("permutation_null"));
  assert.ok(result.interaction_gain!.ci95[0] > 0, JSON.stringify(result.interaction_gain));
  assert.ok(result.interaction_specificity!.ci95[0] > 0, JSON.stringify(result.interaction_specificity));
  assert.ok(result.nonlinear_error_gain!.ci95[0] > 0, JSON.stringify(result.nonlinear_error_gain));
  if (result.converged) assert.equal(result.verdict.beats_all_controls, true, result.verdict.sentence);
  else {
    // The sentence names every model that ended on its budget, the residual SAE included (as `converged` counts it).
    const unconverged = Object.entries(models).filter(
      ([, m]) => (m as { fit?: string } | null)?.fit === "budget_exhausted",
    );
    assert.ok(unconverged.length > 0);
    for (const [name] of unconverged)
      assert.match(result.verdict.sentence, new RegExp(`Not every model converged: .*${name}`));
  }
  // mlp_matched = affine f + an MLP with the interaction path's parameter count.
  const linear = result.controls.linear_f!.parameters;
  const mlp = result.controls.mlp_matched!.parameters - linear;
  const interactionPath = result.nfm.interaction_only!.parameters;
  assert.ok(Math.abs(mlp - interactionPath) / interactionPath < 0.1, `${mlp} vs ${interactionPath}`);
  for (const model of result.fullSeeds) model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("without a planted pairwise term both gains' CIs cover 0 and the verdict is negative", async () => {
  const data = syntheticResidualData({ rows: 3800, dSae: 32, dIn: 12, activePerRow: 5, interaction: 0, seed: 5 });
  const result = await runInteractionStudy(data, { ...common, seeds: [0], residualSae: null });
  assert.equal(result.controls.residual_sae, null);
  assert.ok(covers0(result.interaction_gain), JSON.stringify(result.interaction_gain));
  assert.ok(covers0(result.interaction_specificity), JSON.stringify(result.interaction_specificity));
  assert.equal(result.verdict.beats_all_controls, false, result.verdict.sentence);
  assert.match(result.verdict.sentence, /no evidence|inconclusive/);
  for (const model of result.fullSeeds) model.dispose();
});

test("each model searches the grid on its first seed only; the residual SAE once, at its main λ", async () => {
  const data = syntheticResidualData({ rows: 3800, dSae: 32, dIn: 12, activePerRow: 5, seed: 6 });
  const budget = { nfm: 40, residualSae: 30 };
  const gridRuns = new Map<string, number>();
  const result = await runInteractionStudy(data, {
    ...common,
    nfm: { ...common.nfm, steps: budget.nfm },
    fitting: { ...common.fitting, lrGrid: [1e-3, 3e-2] },
    residualSae: { dSae: 16, l1: 1, steps: budget.residualSae, batchSize: 256 },
    onProgress: (p) => {
      if (p.steps > 1) gridRuns.set(`${p.model} seed ${p.seed}`, p.steps);
    },
  });
  const lrs = (name: string) => [...gridRuns].filter(([key]) => key.startsWith(`${name} `));
  for (const name of ["full", "mlp_matched", "interaction_only", "full_nl", "permutation_null"]) {
    assert.deepEqual(lrs(name), [
      [`${name} seed 0`, 2 * budget.nfm],
      [`${name} seed 1`, budget.nfm],
    ]);
  }
  const sweep = [...gridRuns].filter(([key]) => key.startsWith("residual_sae"));
  assert.deepEqual(
    sweep.filter(([, steps]) => steps === 2 * budget.residualSae).map(([key]) => key),
    ["residual_sae λ=1 seed 0"],
  );
  assert.equal(sweep.length, 4, JSON.stringify(sweep));
  const chosen = result.controls.residual_sae!.lr;
  assert.ok(chosen === 1e-3 || chosen === 3e-2);
  for (const model of result.fullSeeds) model.dispose();
});

test("on two worker threads the study gives exactly the in-thread results, the kept models and progress", async () => {
  const data = syntheticResidualData({ rows: 3800, dSae: 48, dIn: 12, activePerRow: 5, seed: 6 });
  const options = {
    ...common,
    nfm: { ...common.nfm, steps: 150 },
    residualSae: { dSae: 24, l1: 1, steps: 40, batchSize: 256 },
    keep: ["mlp_matched", "linear_f"],
  };
  const inThread = await runInteractionStudy(data, options);
  const fractions: number[] = [];
  const onThreads = await runInteractionStudy(data, {
    ...options,
    threads: { count: 2, backend: "wasm" },
    onProgress: (p) => fractions.push((p.done + p.running) / p.total),
  });
  // Wall times differ between runs; everything else must be identical.
  const { fullModel: a, kept: keptA, fullSeeds: seedsA, seconds: timeA, ...figuresA } = inThread;
  const { fullModel: b, kept: keptB, fullSeeds: seedsB, seconds: timeB, ...figuresB } = onThreads;
  assert.deepEqual(figuresB, figuresA);
  assert.deepEqual(Object.keys(timeB), ["interactions_closed_form", "interactions_trained"]);
  assert.deepEqual(Object.keys(timeA), Object.keys(timeB));
  assert.deepEqual(Object.keys(keptB).sort(), ["full", "linear_f", "mlp_matched"]);
  const linearEr = errorReduction(keptA["linear_f"]!, data, heldOutRows).er;
  assert.ok(Math.abs(linearEr - inThread.controls.linear_f!.er) < 1e-5, "the kept linear_f is the closed-form fit");
  const rows = heldOutRows.subarray(0, 64);
  const batch = data.batch(rows);
  for (const name of ["full", "linear_f", "mlp_matched"]) {
    assert.deepEqual(
      Array.from(keptB[name]!.predict(batch.f, null, rows.length)),
      Array.from(keptA[name]!.predict(batch.f, null, rows.length)),
      `${name} kept from a worker predicts as the in-thread model`,
    );
  }
  assert.equal(seedsA.length, seedsB.length);
  for (const model of new Set([...Object.values(keptA), ...Object.values(keptB), ...seedsA, ...seedsB]))
    model.dispose();
  assert.ok(fractions.length > 10 && fractions.every((f) => f >= 0 && f <= 1), `${fractions.length} progress reports`);
  assert.ok(Math.max(...fractions) > 0.9);
});

test("a study on worker threads stops when its signal aborts", async () => {
  const data = syntheticResidualData({ rows: 3800, dSae: 48, dIn: 12, activePerRow: 5, seed: 7 });
  const abort = new AbortController();
  await assert.rejects(
    runInteractionStudy(data, {
      ...common,
      residualSae: null,
      threads: { count: 2, backend: "wasm" },
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done >= 2) abort.abort();
      },
    }),
    /cancelled/,
  );
});
