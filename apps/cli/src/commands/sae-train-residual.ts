import { initBackend } from "@interlace/compute/backend";
import { type ResidualSaeRun, storeRowSource, trainResidualSae } from "@interlace/compute/sae";
import { type Command, floatFlag, intFlag, requiredString, stringFlag, UsageError } from "../command.js";
import { openSae } from "./sae-encode.js";
import { checkPairing, writeJson } from "./sae-eval.js";
import { trainingLine } from "./sae-format.js";
import { openStore } from "./sae-train.js";

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function runLine(run: ResidualSaeRun): string {
  return `  λ ${run.l1.toPrecision(3).padEnd(6)} ER ${pct(run.er)} [${pct(run.ci95[0])}, ${pct(run.ci95[1])}]  L0 ${run.l0.toFixed(1)}  dead ${pct(run.dead_fraction)}`;
}

export const saeTrainResidualCommand: Command = {
  path: ["sae", "train-residual"],
  summary:
    "Train the residual-SAE control on r = x − SAE(x) at λ, λ/3 and 3λ; report held-out error reduction with 95% CIs.",
  usage: `Flags:
  --sae DIR           the main SAE, SAELens directory (required)
  --activations DIR   activation store of the SAE's hook (required): trains on its training split, scores on held-out rows
  --l1 λ              sparsity coefficient; r is scaled to its own mean norm √d, so λ means what it means for the
                      main SAE (default 3). Also run at λ/3 and 3λ.
  --d-sae N           latents of the residual SAE (default: the main SAE's d_sae)
  --steps N           optimiser steps per λ (default 2000)
  --batch-size N      rows per step (default 1024)
  --lr X              peak learning rate, same schedule as \`sae train\`: decay to lr/10 over the last 20% (default 0.001)
  --seed N            initialisation and shuffle seed (default 0)
  --workers N         worker threads for data-parallel steps (default 1)
  --rows N            held-out rows scored (default 65536)
  --resamples N       bootstrap resamples of whole context windows (default 1000)
  --out FILE          also write the report as JSON
`,
  options: {
    sae: { type: "string" },
    activations: { type: "string" },
    l1: { type: "string" },
    "d-sae": { type: "string" },
    steps: { type: "string" },
    "batch-size": { type: "string" },
    lr: { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    rows: { type: "string" },
    resamples: { type: "string" },
    out: { type: "string" },
  },
  async run(values, _positionals, config) {
    const saeDir = requiredString(values, "sae", "give the main SAE's SAELens directory, e.g. --sae ./sae.");
    const storeDir = requiredString(values, "activations", "give the activation store, e.g. --activations ./acts.");
    const l1 = floatFlag(values, "l1", 3);
    const lr = floatFlag(values, "lr", 1e-3);
    if (!(l1 > 0)) throw new UsageError(`--l1 must be > 0, got ${l1}.`);
    if (!(lr > 0)) throw new UsageError(`--lr must be > 0, got ${lr}.`);
    const seed = intFlag(values, "seed", 0);
    const out = stringFlag(values, "out");
    const store = openStore(storeDir);
    await initBackend(config.backend);
    const sae = openSae(saeDir);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once("SIGINT", onSigint);
    try {
      checkPairing(sae, store);
      const heldOut = store.readAll(intFlag(values, "rows", 65536, 2), { split: "heldOut" });
      if (heldOut.size < 2) throw new UsageError("--activations has no held-out rows to score; harvest more tokens.");
      const groups = Int32Array.from(heldOut.rows, (row) => Math.floor(row / store.manifest.context));
      let lastPrint = 0;
      const report = await trainResidualSae(
        sae,
        () => storeRowSource(store, { shuffleSeed: seed }),
        { x: heldOut.x, groups },
        {
          l1,
          lr,
          seed,
          dSae: intFlag(values, "d-sae", sae.dSae, 1),
          steps: intFlag(values, "steps", 2000, 1),
          batchSize: intFlag(values, "batch-size", 1024, 1),
          workers: { count: intFlag(values, "workers", 1, 1), backend: config.backend },
          bootstrap: { resamples: intFlag(values, "resamples", 1000, 10), seed },
          signal: controller.signal,
          onProgress: (value, p) => {
            const now = performance.now();
            if (now - lastPrint < 10_000 && p.step !== p.totalSteps) return;
            lastPrint = now;
            process.stderr.write(`residual λ ${value.toPrecision(3)}  ${trainingLine(p)}\n`);
          },
        },
      );
      if (report.runs.some((run) => run.stopReason !== "completed")) {
        throw new Error("the residual SAE stopped early (cancelled or a non-finite loss); no report was written.");
      }
      process.stdout.write(
        `residual SAE on ${report.heldOutRows} held-out rows: mean ‖x‖ ${report.mean_norm_x.toFixed(3)}, mean ‖r‖ ${report.mean_norm_r.toFixed(3)} (Σ‖r‖²/Σ‖x‖² ${pct(report.residual_energy_fraction)})\n` +
          `relative error reduction of r, 95% CI over whole windows:\n${report.runs.map(runLine).join("\n")}\n`,
      );
      if (out) {
        writeJson(out, { sae: saeDir, activations: storeDir, ...report });
        process.stdout.write(`wrote ${out}\n`);
      }
    } finally {
      process.removeListener("SIGINT", onSigint);
      sae.dispose();
    }
  },
};
