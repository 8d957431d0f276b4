// The models of a study's error-reduction table, in display order, with what each one predicts the SAE residual from.

export type ModelGroup = "nfm" | "controls";

export interface ModelEntry {
  group: ModelGroup;
  /** The model's key in report.json, shown as its name so it can be found in the file. */
  key: string;
  description: string;
}

export const MODEL_GROUP_LABELS: Record<ModelGroup, string> = {
  nfm: "NFM variants",
  controls: "Controls",
};

export const MODEL_ENTRIES: readonly ModelEntry[] = [
  { group: "nfm", key: "full", description: "linear map of f plus pairwise interactions of f" },
  { group: "nfm", key: "interaction_only", description: "pairwise interactions of f alone" },
  { group: "nfm", key: "linear_x_interaction", description: "linear map of x plus pairwise interactions of f" },
  { group: "controls", key: "linear_f", description: "linear map of the SAE features f" },
  { group: "controls", key: "linear_x", description: "linear map of the activation x" },
  { group: "controls", key: "mlp_matched", description: "MLP on f with as many parameters as the interactions" },
  { group: "controls", key: "linear_x_mlp_matched", description: "linear map of x plus the matched MLP on f" },
  { group: "controls", key: "residual_sae", description: "a second SAE trained on the residual" },
  {
    group: "controls",
    key: "permutation_null",
    description: "full NFM trained on shuffled targets: should explain nothing (ER near 0)",
  },
];
