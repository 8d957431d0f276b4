import type { ResidualData } from "../../nfm/residual-data.js";
import type { Sae } from "../../sae/sae.js";
import { type InteractionStudyResult, runInteractionStudy } from "../interaction/controls.js";
import { DEFAULT_FITTING } from "../interaction/study-jobs.js";
import { type StudyContext, signalOf } from "./context.js";
import type { StudyRows } from "./rows.js";

/** The NFM and every control on the SAE's error, over all seeds; each finished model is saved in the study folder. */
export function interactionsStage(
  context: StudyContext,
  rows: StudyRows,
  sae: Sae,
  data: ResidualData,
): Promise<InteractionStudyResult> {
  const s = context.settings;
  return runInteractionStudy(data, {
    trainRows: rows.trainRows,
    validationRows: rows.validationRows,
    heldOutRows: rows.heldOutRows,
    seeds: s.seeds,
    nfm: { k: s.nfmK, steps: s.nfmSteps, batchSize: s.nfmBatchSize },
    fitting: { ...DEFAULT_FITTING, lrGrid: s.nfmLrGrid },
    keep: s.jointSteps > 0 ? ["linear_f", "mlp_matched"] : [],
    residualSae: s.residualSae
      ? { dSae: sae.dSae, l1: s.l1, steps: s.residualSaeSteps, batchSize: s.saeBatchSize }
      : null,
    bootstrap: { groups: rows.groups },
    checkpointRoot: context.paths.models,
    resume: context.resuming,
    // tfjs-wasm runs one thread per worker: train models side by side on the study's threads.
    threads: { count: context.runningBackend === "tensorflow" ? 1 : s.workers, backend: context.backend },
    onProgress: (p) =>
      context.phase(
        "interactions",
        (p.done + p.running) / p.total,
        `training ${p.model} (seed ${p.seed}) step ${p.step}/${p.steps} · model ${Math.min(p.done + 1, p.total)}/${p.total}`,
      ),
    ...signalOf(context),
  });
}
