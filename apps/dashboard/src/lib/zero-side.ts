// The paired gains of a study, each with the two models it compares, in plain words.

export interface GainEntry {
  key: string;
  compares: string;
}

export const GAIN_ENTRIES: readonly GainEntry[] = [
  {
    key: "interaction_gain",
    compares: "ER(full) − ER(linear_f): what the pairwise interactions add over a linear map of the SAE features.",
  },
  {
    key: "interaction_gain_over_x",
    compares:
      "ER(linear_x_interaction) − ER(linear_x): what the interactions add over a linear map of the raw activation.",
  },
  {
    key: "interaction_specificity",
    compares:
      "ER(linear_x_interaction) − ER(linear_x_mlp_matched): whether factorised interactions beat a generic non-linearity of the same size.",
  },
  {
    key: "full_over_null",
    compares: "ER(full) − ER(permutation_null): whether the NFM beats the same model trained on shuffled targets.",
  },
  {
    key: "full_over_mlp_matched",
    compares: "ER(full) − ER(mlp_matched): whether the NFM beats an MLP on f with as many parameters.",
  },
];

export interface JointComparisonEntry extends GainEntry {
  /** Listed even when the report has it as null (the study could not compute it); otherwise only when present. */
  always: boolean;
}

/** The joint fine-tuning comparisons known by name, in display order. */
export const JOINT_COMPARISON_ENTRIES: readonly JointComparisonEntry[] = [
  {
    key: "joint_gain",
    always: true,
    compares: "EV(SAE + NFM) − EV(SAE fine-tuned alone), both fine-tuned for the same steps on the same batches.",
  },
  {
    key: "joint_interaction_gain",
    always: false,
    compares: "EV(SAE + NFM) − EV(SAE + linear map of f): what the interactions add under joint training.",
  },
  {
    key: "joint_specificity",
    always: true,
    compares: "EV(SAE + NFM) − EV(SAE + capacity-matched MLP on f): interactions against a generic non-linearity.",
  },
];

/** Where a 95% CI lies relative to 0: wholly above, wholly below, or across it. */
export type ZeroSide = "above" | "below" | "includes";

export function zeroSide(ci95: readonly [number, number]): ZeroSide {
  if (ci95[0] > 0) return "above";
  if (ci95[1] < 0) return "below";
  return "includes";
}

/** Whether a CI excludes 0, in words for the gains table. */
export function describeZeroSide(side: ZeroSide | null): string {
  if (side === null) return "no CI";
  if (side === "includes") return "no";
  return side === "above" ? "yes, above 0" : "yes, below 0";
}
