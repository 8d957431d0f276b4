import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openCorpus } from "@interlace/compute/corpus";
import { harvest } from "@interlace/compute/harvest";
import { readSafetensors, writeSafetensors } from "@interlace/compute/io";
import { loadModel } from "@interlace/compute/lm";
import { loadSaeLens, syntheticSparseRows } from "@interlace/compute/sae";
import { ActivationStoreWriter } from "@interlace/compute/store";
import { fixturesDir as fixtures } from "@interlace/compute/testing";
import { type Command } from "../command.js";
import { loadCliConfig } from "../config.js";
import { runCommandCapturing } from "../testing/run-command.js";
import { saeEncodeCommand } from "./sae-encode.js";
import { saeEvalCommand } from "./sae-eval.js";
import { saeTrainCommand } from "./sae-train.js";
import { saeTrainResidualCommand } from "./sae-train-residual.js";

const work = mkdtempSync(join(tmpdir(), "sae-cli-test-"));
const config = loadCliConfig({ INTERLACE_HOME: join(work, "home") });
after(() => rmSync(work, { recursive: true, force: true }));

function run(command: Command, argv: string[]): Promise<string> {
  return runCommandCapturing(command, argv, config, { quietStderr: true });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test("sae encode reproduces the fixture SAE's SAELens encodings", async () => {
  const reference = readSafetensors(join(fixtures, "reference/sae-sotu-gpt2-6l-L3-standard-1024.safetensors")).tensors;
  const input = join(work, "x.safetensors");
  const out = join(work, "codes.safetensors");
  writeSafetensors(input, { x: reference["x"]! });
  const text = await run(saeEncodeCommand, [
    "--sae",
    join(fixtures, "saes/sotu-gpt2-6l-L3-standard-1024"),
    "--input",
    input,
    "--out",
    out,
  ]);
  assert.match(text, /f \[64, 1024\], x_hat \[64, 256\]/);
  const codes = readSafetensors(out).tensors;
  assert.ok(maxAbsDiff(codes["f"]!.data, reference["f"]!.data) <= 1e-4);
  assert.ok(maxAbsDiff(codes["x_hat"]!.data, reference["x_hat"]!.data) <= 1e-4);
  writeSafetensors(input, { x: { shape: [4, 3], data: new Float32Array(12) } });
  await assert.rejects(
    run(saeEncodeCommand, [
      "--sae",
      join(fixtures, "saes/sotu-gpt2-6l-L3-standard-1024"),
      "--input",
      input,
      "--out",
      out,
    ]),
    /x has shape \[4, 3\] but the SAE takes \[N, 256\]/,
  );
});

function writeStore(dir: string, d: number, rows: number): void {
  const writer = ActivationStoreWriter.open(dir, {
    model: "m",
    modelType: "t",
    hook: "blocks.1.hook_resid_post",
    d,
    context: 16,
    bos: false,
    dtype: "float32",
    corpus: "c",
    tokens: rows,
    rowsPerShard: 256,
  });
  writer.setDocuments(Array.from({ length: rows / 64 }, (_, i) => `doc-${i}`));
  const { data } = syntheticSparseRows({ rows, d, features: 24, activePerRow: 2, seed: 1 });
  const docs = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / 64));
  writer.append({ x: data, tokens: new Int32Array(rows), docs, offsets: new Int32Array(rows) }, rows, () => true);
  writer.finish();
}

test("sae train writes a SAELens SAE with the store's hook, and --resume guards the run's flags", async () => {
  const store = join(work, "acts");
  const out = join(work, "sae");
  writeStore(store, 8, 2048);
  const flags = ["--activations", store, "--d-sae", "16", "--steps", "12", "--batch-size", "64", "--out", out];
  const text = await run(saeTrainCommand, flags);
  assert.match(text, /written to/);
  assert.match(text, /explained_variance\s+-?\d/);
  for (const file of ["cfg.json", "sae_weights.safetensors", "sparsity.safetensors", "training_state.safetensors"]) {
    assert.ok(existsSync(join(out, file)), file);
  }
  const sae = loadSaeLens(out);
  assert.equal(sae.cfg.metadata["hook_name"], "blocks.1.hook_resid_post");
  assert.equal(sae.cfg.d_sae, 16);
  sae.dispose();
  await assert.rejects(run(saeTrainCommand, flags), /add --resume/);
  await assert.rejects(run(saeTrainCommand, [...flags, "--resume", "--l1", "5"]), /--resume needs the flags/);
  await assert.rejects(run(saeTrainCommand, [...flags, "--k", "4"]), /--k applies to --arch topk/);
});

test("sae eval prints SAELens-named metrics and writes them as JSON; a store of another hook is refused", async () => {
  const store = join(work, "acts");
  const sae = join(work, "sae");
  const out = join(work, "metrics.json");
  const text = await run(saeEvalCommand, ["--sae", sae, "--activations", store, "--out", out]);
  for (const name of ["l0", "explained_variance", "cossim", "l2_ratio", "dead_fraction"])
    assert.match(text, new RegExp(name));
  const json = JSON.parse(readFileSync(out, "utf8")) as { feature_density: number[]; explained_variance: number };
  assert.equal(json.feature_density.length, 16);
  assert.equal(typeof json.explained_variance, "number");
  await assert.rejects(
    run(saeEvalCommand, ["--sae", join(fixtures, "saes/sotu-gpt2-6l-L3-standard-1024"), "--activations", store]),
    /rows have width 8 but the SAE takes d_in 256/,
  );
});

test("sae train-residual reports the control at λ/3, λ and 3λ with CIs", async () => {
  const store = join(work, "acts");
  const sae = join(work, "sae");
  const out = join(work, "residual.json");
  const argv = ["--sae", sae, "--activations", store, "--l1", "1", "--steps", "8", "--batch-size", "64"];
  const text = await run(saeTrainResidualCommand, [...argv, "--resamples", "50", "--out", out]);
  assert.match(text, /λ 0\.333 +ER -?\d+\.\d+% \[/);
  assert.match(text, /λ 3\.00 +ER/);
  const report = JSON.parse(readFileSync(out, "utf8")) as { runs: { l1: number }[]; main: { l1: number } };
  assert.deepEqual(
    report.runs.map((r) => r.l1),
    [1 / 3, 1, 3],
  );
  assert.equal(report.main.l1, 1);
});

test("sae eval with --model adds ce_loss_score and KL on held-out windows of the store", async () => {
  const modelDir = join(fixtures, "models/sotu-gpt2-6l");
  const store = join(work, "gpt-acts");
  const model = await loadModel(modelDir, { backend: config.backend });
  const hook = "blocks.3.hook_resid_post";
  await harvest({ model, hook, corpus: openCorpus("sotu"), tokens: 4096, context: 128, out: store });
  model.dispose();
  const sae = join(fixtures, "saes/sotu-gpt2-6l-L3-standard-1024");
  const out = join(work, "ce.json");
  const text = await run(saeEvalCommand, [
    "--sae",
    sae,
    "--activations",
    store,
    "--model",
    modelDir,
    "--windows",
    "2",
    "--out",
    out,
  ]);
  assert.match(text, /ce_loss_score/);
  const json = JSON.parse(readFileSync(out, "utf8")) as {
    ce_loss_score: number;
    kl_div_with_sae: number;
    tokens: number;
  };
  assert.ok(json.ce_loss_score > 0.5 && json.ce_loss_score < 1, `ce_loss_score ${json.ce_loss_score}`);
  assert.ok(json.kl_div_with_sae > 0);
  assert.ok(json.tokens > 0 && json.tokens <= 2 * 127);
});
