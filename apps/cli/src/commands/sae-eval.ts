import { renameSync, writeFileSync } from "node:fs";
import { initBackend } from "@interlace/compute/backend";
import { ceLossScore, storeWindows } from "@interlace/compute/eval";
import { evaluateSae, type Sae } from "@interlace/compute/sae";
import type { ActivationStore } from "@interlace/compute/store";
import { type Command, intFlag, requiredString, stringFlag, UsageError } from "../command.js";
import { withModel } from "../model-flag.js";
import { openSae } from "./sae-encode.js";
import { formatMetrics, metricLines } from "./sae-format.js";
import { openStore } from "./sae-train.js";

/** The store must hold the SAE's hook at its width. */
export function checkPairing(sae: Sae, store: ActivationStore): void {
  const hook = sae.cfg.metadata["hook_name"];
  if (store.d !== sae.dIn) {
    throw new UsageError(
      `--activations rows have width ${store.d} but the SAE takes d_in ${sae.dIn}; harvest the SAE's hook.`,
    );
  }
  if (typeof hook === "string" && hook !== store.manifest.hook) {
    throw new UsageError(`--activations holds ${store.manifest.hook} but the SAE reads ${hook}; harvest ${hook}.`);
  }
}

export function writeJson(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(temp, path);
}

export const saeEvalCommand: Command = {
  path: ["sae", "eval"],
  summary:
    "Evaluate an SAE on an activation store's held-out rows (SAELens metric names), and with --model its CE loss score.",
  usage: `Flags:
  --sae DIR           SAELens directory (required)
  --activations DIR   activation store of the SAE's hook (required); its held-out split is evaluated
  --rows N            held-out rows for the reconstruction metrics (default 65536)
  --model M           the SAE's language model (directory or hub id): adds ce_loss_score and KL, with the SAE
                      spliced in at its hook, on held-out windows of the store (default: skipped)
  --windows N         held-out windows for the CE metrics (default 64)
  --out FILE          also write every metric, per-feature density included, as JSON
`,
  options: {
    sae: { type: "string" },
    activations: { type: "string" },
    rows: { type: "string" },
    model: { type: "string" },
    windows: { type: "string" },
    out: { type: "string" },
  },
  async run(values, _positionals, config) {
    const saeDir = requiredString(values, "sae", "give a SAELens SAE directory, e.g. --sae ./sae.");
    const storeDir = requiredString(values, "activations", "give the activation store, e.g. --activations ./acts.");
    const rows = intFlag(values, "rows", 65536, 2);
    const windowCount = intFlag(values, "windows", 64, 1);
    const out = stringFlag(values, "out");
    const store = openStore(storeDir);
    await initBackend(config.backend);
    const sae = openSae(saeDir);
    try {
      checkPairing(sae, store);
      const heldOut = store.readAll(rows, { split: "heldOut" });
      if (heldOut.size < 2)
        throw new UsageError(`--activations has no held-out rows to evaluate; harvest more tokens.`);
      const metrics = evaluateSae(sae, heldOut.x);
      process.stdout.write(formatMetrics(metrics));
      let ce = null;
      const modelSpec = stringFlag(values, "model");
      if (modelSpec !== undefined) {
        const { windows } = storeWindows(store, windowCount);
        if (windows.length === 0)
          throw new UsageError("--activations has no complete held-out window for the CE metrics.");
        ce = await withModel(modelSpec, config, (model) =>
          ceLossScore(model, sae, windows, { hook: store.manifest.hook }),
        );
        process.stdout.write(
          `with the model (${ce.windows} held-out windows, ${ce.tokens} tokens):\n${metricLines({ ...ce })}`,
        );
      }
      if (out) {
        writeJson(out, {
          sae: saeDir,
          activations: storeDir,
          ...metrics,
          feature_density: Array.from(metrics.feature_density),
          ...(ce ?? {}),
        });
        process.stdout.write(`wrote ${out}\n`);
      }
    } finally {
      sae.dispose();
    }
  },
};
