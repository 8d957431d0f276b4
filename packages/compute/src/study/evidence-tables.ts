/**
 * The study's evidence as data, declared once: every model the interaction study fits, every ER gain it reports and
 * every comparison of the joint fine-tuning mode. The report's keys, the training list of the interaction study, the
 * verdict, report.md, the GraphQL types and the dashboard all derive from these tables.
 */
import type { ResidualModelKind } from "../nfm/variants.js";

/** The report section a model is listed under: `nfm.<name>` or `controls.<name>`. */
export type ModelGroup = "nfm" | "controls";

export const MODEL_GROUPS: readonly ModelGroup[] = ["nfm", "controls"];

/** What a model of the error predicts: r = x − SAE(x), or its non-linear part r_nl = r − (A·x + c) with A, c the
 *  closed-form linear x→r fit on the training rows (Engels et al.'s "nonlinear error"); ER is relative to ‖target‖². */
export type ErrorTarget = "r" | "r_nl";

/** How the study fits a model: an exact affine map (ridge from the normal equations) of f or x; a residual model of a
 *  kind (linear part started at its closed form, then early stopping on validation; on shuffled targets for the
 *  null); or a second SAE trained on the residual (optional: the study may skip it, and the report then holds null). */
export type ModelFitting =
  | { by: "closed_form"; input: "f" | "x"; target: ErrorTarget }
  | { by: "residual_model"; kind: ResidualModelKind; permuteTargets: boolean; target: ErrorTarget }
  | { by: "residual_sae" };

export interface ModelEntry {
  /** The model's key in report.json. */
  name: string;
  group: ModelGroup;
  /** What the model predicts the SAE residual r = x − SAE(x) from. */
  description: string;
  fitting: ModelFitting;
  /** A descriptive figure shown apart (how much of r is linear in x, how much sparse structure r still holds, the
   *  null's level), not a control a gain compares against. */
  descriptive: boolean;
}

/** Every model, in display order (the interaction study also trains them in this order). Every predictive model of
 *  the error takes the code f only: x never enters a model of r (r is an exact affine function of x and f). */
export const MODELS = [
  {
    name: "full",
    group: "nfm",
    description: "linear map of f plus pairwise interactions of f",
    fitting: { by: "residual_model", kind: "full", permuteTargets: false, target: "r" },
    descriptive: false,
  },
  {
    name: "interaction_only",
    group: "nfm",
    description: "pairwise interactions of f alone",
    fitting: { by: "residual_model", kind: "interaction-only", permuteTargets: false, target: "r" },
    descriptive: false,
  },
  {
    name: "full_nl",
    group: "nfm",
    description: "the full NFM fitted to the nonlinear error r_nl = r − (A·x + c); ER relative to ‖r_nl‖²",
    fitting: { by: "residual_model", kind: "full", permuteTargets: false, target: "r_nl" },
    descriptive: false,
  },
  {
    name: "linear_f",
    group: "controls",
    description: "affine map of the SAE features f (closed form)",
    fitting: { by: "closed_form", input: "f", target: "r" },
    descriptive: false,
  },
  {
    name: "linear_f_nl",
    group: "controls",
    description: "affine map of f fitted to the nonlinear error r_nl (closed form); ER relative to ‖r_nl‖²",
    fitting: { by: "closed_form", input: "f", target: "r_nl" },
    descriptive: false,
  },
  {
    name: "mlp_matched",
    group: "controls",
    description: "affine map of f plus an MLP on f with as many parameters as the interaction path",
    fitting: { by: "residual_model", kind: "mlp_matched", permuteTargets: false, target: "r" },
    descriptive: false,
  },
  {
    name: "linear_x",
    group: "controls",
    description: "affine map of the activation x (closed form): the error's linearly predictable share",
    fitting: { by: "closed_form", input: "x", target: "r" },
    descriptive: true,
  },
  {
    name: "residual_sae",
    group: "controls",
    description: "a second SAE trained on the residual: how much sparse linear structure r still holds",
    fitting: { by: "residual_sae" },
    descriptive: true,
  },
  {
    name: "permutation_null",
    group: "controls",
    description: "full NFM trained on shuffled targets: should explain nothing (ER near 0)",
    fitting: { by: "residual_model", kind: "full", permuteTargets: true, target: "r" },
    descriptive: true,
  },
] as const satisfies readonly ModelEntry[];

export type ModelName = (typeof MODELS)[number]["name"];

/** The models fitted as maps of f or x (every one but the residual SAE): the only ones a gain can compare. */
export type ResidualModelName = Exclude<(typeof MODELS)[number], { fitting: { by: "residual_sae" } }>["name"];

export interface GainEntry {
  /** The gain's top-level key in report.json. */
  name: string;
  /** value = ER(a) − ER(b), paired over the same held-out rows. */
  a: ResidualModelName;
  b: ResidualModelName;
  /** What a positive value means. */
  description: string;
  /** The verdict "beats all controls" asks this gain's CI to lie above 0. */
  verdict: boolean;
}

/** The ER gains, in display order. */
export const GAINS = [
  {
    name: "interaction_gain",
    a: "full",
    b: "linear_f",
    description: "Positive: the pairwise interactions predict error that an affine map of the SAE features f does not.",
    verdict: true,
  },
  {
    name: "interaction_specificity",
    a: "full",
    b: "mlp_matched",
    description:
      "Positive: the factorised pairwise form beats a generic non-linearity of f of the same size (affine f + MLP).",
    verdict: true,
  },
  {
    name: "full_over_null",
    a: "full",
    b: "permutation_null",
    description: "Positive: the NFM beats the same model trained on shuffled targets.",
    verdict: true,
  },
  {
    name: "nonlinear_error_gain",
    a: "full_nl",
    b: "linear_f_nl",
    description:
      "Positive: the interactions predict part of the nonlinear error r_nl (what x does not predict linearly) that an affine map of f does not.",
    verdict: false,
  },
] as const satisfies readonly GainEntry[];

export type GainName = (typeof GAINS)[number]["name"];

/** Models and gains removed in report_version 2, and why (report.md says it once). */
export const REMOVED_IN_VERSION_2 =
  "linear_x_interaction, linear_x_mlp_matched and interaction_gain_over_x were removed in report version 2: the SAE's error is an exact affine function of x and f (r = x − f·W_dec − b_dec), so any model that sees x linearly and has a flexible path on f can approach ER 1 by re-learning the decoder; those comparisons measured how well two non-linear paths imitate a linear decoder, not feature interactions.";

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
