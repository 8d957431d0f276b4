/**
 * The study's evidence as data, declared once: every model the interaction study fits, every ER gain it reports and
 * every comparison of the joint fine-tuning mode. The report's keys, the training list of the interaction study, the
 * verdict, report.md, the GraphQL types and the dashboard all derive from these tables.
 */
import type { ResidualModelKind } from "../nfm/variants.js";

/** The report section a model is listed under: `nfm.<name>` or `controls.<name>`. */
export type ModelGroup = "nfm" | "controls";

export const MODEL_GROUPS: readonly ModelGroup[] = ["nfm", "controls"];

/** How the study fits a model: as a residual model of a kind (on shuffled targets for the null), or as a second SAE
 *  trained on the residual (optional: the study may skip it, and the report then holds null). */
export type ModelFitting =
  | { by: "residual_model"; kind: ResidualModelKind; permuteTargets: boolean }
  | { by: "residual_sae" };

export interface ModelEntry {
  /** The model's key in report.json. */
  name: string;
  group: ModelGroup;
  /** What the model predicts the SAE residual r = x − SAE(x) from. */
  description: string;
  fitting: ModelFitting;
}

/** Every model, in display order (the interaction study also trains them in this order). */
export const MODELS = [
  {
    name: "full",
    group: "nfm",
    description: "linear map of f plus pairwise interactions of f",
    fitting: { by: "residual_model", kind: "full", permuteTargets: false },
  },
  {
    name: "interaction_only",
    group: "nfm",
    description: "pairwise interactions of f alone",
    fitting: { by: "residual_model", kind: "interaction-only", permuteTargets: false },
  },
  {
    name: "linear_x_interaction",
    group: "nfm",
    description: "linear map of x plus pairwise interactions of f",
    fitting: { by: "residual_model", kind: "linear_x_interaction", permuteTargets: false },
  },
  {
    name: "linear_f",
    group: "controls",
    description: "linear map of the SAE features f",
    fitting: { by: "residual_model", kind: "linear-only", permuteTargets: false },
  },
  {
    name: "linear_x",
    group: "controls",
    description: "linear map of the activation x",
    fitting: { by: "residual_model", kind: "linear_x", permuteTargets: false },
  },
  {
    name: "mlp_matched",
    group: "controls",
    description: "MLP on f with as many parameters as the interactions",
    fitting: { by: "residual_model", kind: "mlp_matched", permuteTargets: false },
  },
  {
    name: "linear_x_mlp_matched",
    group: "controls",
    description: "linear map of x plus the matched MLP on f",
    fitting: { by: "residual_model", kind: "linear_x_mlp_matched", permuteTargets: false },
  },
  {
    name: "residual_sae",
    group: "controls",
    description: "a second SAE trained on the residual",
    fitting: { by: "residual_sae" },
  },
  {
    name: "permutation_null",
    group: "controls",
    description: "full NFM trained on shuffled targets: should explain nothing (ER near 0)",
    fitting: { by: "residual_model", kind: "full", permuteTargets: true },
  },
] as const satisfies readonly ModelEntry[];

export type ModelName = (typeof MODELS)[number]["name"];

/** The models fitted as residual models: the ones every seed trains, and the only ones a gain can compare. */
export type ResidualModelName = Extract<(typeof MODELS)[number], { fitting: { by: "residual_model" } }>["name"];

export interface GainEntry {
  /** The gain's top-level key in report.json. */
  name: string;
  /** value = ER(a) − ER(b), paired over the same held-out rows. */
  a: ResidualModelName;
  b: ResidualModelName;
  /** What a positive value means. */
  description: string;
}

/** The ER gains, in display order. The verdict "beats all controls" asks every one's CI to lie above 0. */
export const GAINS = [
  {
    name: "interaction_gain",
    a: "full",
    b: "linear_f",
    description: "Positive: the pairwise interactions predict error that a linear map of the SAE features f does not.",
  },
  {
    name: "interaction_gain_over_x",
    a: "linear_x_interaction",
    b: "linear_x",
    description: "Positive: the interactions add to what a linear map of the raw activation x predicts.",
  },
  {
    name: "interaction_specificity",
    a: "linear_x_interaction",
    b: "linear_x_mlp_matched",
    description: "Positive: factorised interactions beat a generic non-linearity of the same size (an MLP on f).",
  },
  {
    name: "full_over_null",
    a: "full",
    b: "permutation_null",
    description: "Positive: the NFM beats the same model trained on shuffled targets.",
  },
  {
    name: "full_over_mlp_matched",
    a: "full",
    b: "mlp_matched",
    description: "Positive: the NFM beats an MLP on f with as many parameters as its interaction path.",
  },
] as const satisfies readonly GainEntry[];

export type GainName = (typeof GAINS)[number]["name"];

/** What a jointly fine-tuned arm's head is; a comparison names the roles of its two arms. */
export const JOINT_ARM_ROLES = ["sae_alone", "nfm", "linear", "mlp", "other"] as const;
export type JointArmRole = (typeof JOINT_ARM_ROLES)[number];

export interface JointComparisonEntry {
  /** The comparison's key in report.json's joint_finetune. */
  name: string;
  /** value = EV(first arm of role a) − EV(first arm of role b), both fine-tuned for the same steps and batches. */
  a: JointArmRole;
  b: JointArmRole;
  /** What a positive value means. */
  description: string;
}

/** The comparisons of the joint fine-tuning mode (EV, not ER: the SAE itself changes), in display order. */
export const JOINT_COMPARISONS = [
  {
    name: "joint_gain",
    a: "nfm",
    b: "sae_alone",
    description: "Positive: SAE + NFM explains more of x than the SAE fine-tuned alone.",
  },
  {
    name: "joint_interaction_gain",
    a: "nfm",
    b: "linear",
    description: "Positive: the interactions add something over a linear map of f under joint training.",
  },
  {
    name: "joint_specificity",
    a: "nfm",
    b: "mlp",
    description: "Positive: the interactions beat a capacity-matched MLP on f under joint training.",
  },
] as const satisfies readonly JointComparisonEntry[];

export type JointComparisonName = (typeof JOINT_COMPARISONS)[number]["name"];
