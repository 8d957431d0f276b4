import type { Sae } from "../../sae/sae.js";
import type { InteractionStudyResult } from "../interaction/controls.js";
import { type JointStudyReport, runJointStudy } from "../interaction/joint-study.js";
import { type StudyContext, signalOf } from "./context.js";
import type { StudyRows } from "./rows.js";

/**
 * The separate joint fine-tuning mode (settings.jointSteps > 0): the SAE fine-tuned alone, with the full NFM, with a
 * linear map of f and with the capacity-matched MLP, each from the same start (the study's SAE and the first seed's
 * frozen-SAE heads). Null when the mode is off.
 */
export async function jointStage(
  context: StudyContext,
  rows: StudyRows,
  sae: Sae,
  study: InteractionStudyResult,
): Promise<JointStudyReport | null> {
  const s = context.settings;
  if (s.jointSteps <= 0) return null;
  const { report } = await runJointStudy(
    sae,
    rows.x,
    [
      { name: "sae_alone", model: null },
      { name: "sae_nfm", model: study.kept["full"]! },
      { name: "sae_linear_f", model: study.kept["linear_f"]! },
      { name: "sae_mlp_matched", model: study.kept["mlp_matched"]! },
    ],
    {
      trainRows: rows.trainRows,
      heldOutRows: rows.heldOutRows,
      steps: s.jointSteps,
      batchSize: s.saeBatchSize,
      l1: s.l1,
      seed: 0,
      bootstrap: { groups: rows.groups },
      onProgress: (p) =>
        context.phase(
          "joint",
          (p.done + p.step / Math.max(1, p.totalSteps)) / p.arms,
          `joint fine-tuning ${p.arm} step ${p.step}/${p.totalSteps}`,
        ),
      ...signalOf(context),
    },
  );
  return report;
}
