import "reflect-metadata";
import {
  FIT_STATUSES,
  MODEL_GROUPS,
  type FitStatus as ReportFitStatus,
  type ModelGroup as ReportModelGroup,
  type StudyReport,
} from "@interlace/compute/evidence";
import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { JSONScalar } from "../../graphql/scalars.js";
import { JointFinetune } from "./joint-finetune.type.js";

/** The report sections of the models, as GraphQL enum values (NFM → "nfm"). */
export const ModelGroup = Object.fromEntries(MODEL_GROUPS.map((group) => [group.toUpperCase(), group])) as Record<
  Uppercase<ReportModelGroup>,
  ReportModelGroup
>;

registerEnumType(ModelGroup, {
  name: "ModelGroup",
  description: "Where report.json lists a model: nfm.<name> (NFM variants) or controls.<name>.",
});

/** How a model was fitted, as GraphQL enum values (closed_form → CLOSED_FORM). */
export const FitStatus = Object.fromEntries(FIT_STATUSES.map((status) => [status.toUpperCase(), status])) as Record<
  Uppercase<ReportFitStatus>,
  ReportFitStatus
>;

registerEnumType(FitStatus, {
  name: "FitStatus",
  description:
    "closed_form: exact (normal equations); early_stopped: stopped on validation, best step restored; budget_exhausted: ended on its step budget (not converged).",
});

@ObjectType({ description: "One validation measurement along a fit." })
export class CurvePoint {
  @Field(() => Float, { description: "The epoch for trained models, λ for closed-form fits." })
  at!: number;

  @Field(() => Float, { description: "Error reduction on the validation rows." })
  valEr!: number;
}

@ObjectType({ description: "Whether the NFM beats every control, in the study's own words." })
export class Verdict {
  @Field(() => Boolean, {
    description:
      "True when the 95% CI of every verdict gain lies above 0 and every model those gains compare converged.",
  })
  beatsAllControls!: boolean;

  @Field(() => String)
  sentence!: string;
}

@ObjectType()
export class SeedEr {
  @Field(() => Int)
  seed!: number;

  @Field(() => Float)
  er!: number;
}

@ObjectType({ description: "A model fitted to the SAE residual r = x − SAE(x), evaluated on held-out rows." })
export class ModelFit {
  @Field(() => String, { description: "The model's key in report.json (under nfm or controls)." })
  name!: string;

  @Field(() => ModelGroup)
  group!: ReportModelGroup;

  @Field(() => String, { description: "What the model predicts the residual from." })
  description!: string;

  @Field(() => Boolean, { description: "Trained on shuffled targets: a null model, whose ER should sit near 0." })
  shuffledTargets!: boolean;

  @Field(() => Float, { description: "Error reduction 1 − Σ‖r − ŷ‖² / Σ‖r‖² of the seed-averaged predictions." })
  er!: number;

  @Field(() => [Float], { description: "Bootstrap 95% CI of er over held-out context windows: [lo, hi]." })
  ci95!: number[];

  @Field(() => [SeedEr])
  seeds!: SeedEr[];

  @Field(() => Int, { description: "Trainable parameters." })
  parameters!: number;

  @Field(() => Boolean, { description: "A descriptive figure shown apart, not a control a gain compares against." })
  descriptive!: boolean;

  @Field(() => FitStatus)
  fit!: ReportFitStatus;

  @Field(() => Float, { nullable: true, description: "Epochs until the fit ended (null for a closed-form fit)." })
  epochs!: number | null;

  @Field(() => Float, { nullable: true, description: "Learning rate chosen on validation (null for closed form)." })
  lr!: number | null;

  @Field(() => Float, { nullable: true, description: "Ridge λ chosen on validation (closed-form fits only)." })
  ridge!: number | null;

  @Field(() => Float, { nullable: true, description: "ER on the training rows (null in version-1 reports)." })
  trainEr!: number | null;

  @Field(() => Float, { nullable: true, description: "ER on the validation rows (null in version-1 reports)." })
  valEr!: number | null;

  @Field(() => [CurvePoint], { description: "Validation ER along the fit (empty in version-1 reports)." })
  curve!: CurvePoint[];
}

@ObjectType({ description: "A paired difference of two models' error reduction on the same held-out rows." })
export class Gain {
  @Field(() => String, { description: "The gain's key in report.json." })
  name!: string;

  @Field(() => Float, { description: "ER(compares[0]) − ER(compares[1])." })
  value!: number;

  @Field(() => [Float], { description: "Paired bootstrap 95% CI: [lo, hi]." })
  ci95!: number[];

  @Field(() => [String], { description: "The two models compared (their names in models), a then b." })
  compares!: string[];

  @Field(() => String, { description: "What a positive value means." })
  description!: string;
}

@ObjectType({ description: "The language model's cross-entropy loss with the SAE and SAE + full NFM spliced in." })
export class CeLoss {
  @Field(() => Int, { description: "Held-out tokens evaluated." })
  tokens!: number;

  @Field(() => Float)
  ceLossWithoutSae!: number;

  @Field(() => Float)
  ceLossWithSae!: number;

  @Field(() => Float)
  ceLossWithSaeNfm!: number;

  @Field(() => Float, { description: "With the hook's activation zeroed." })
  ceLossWithAblation!: number;

  @Field(() => Float, { description: "SAELens' ce_loss_score of the SAE alone." })
  ceLossScoreSae!: number;

  @Field(() => Float, { description: "ce_loss_score of SAE + full NFM." })
  ceLossScoreSaeNfm!: number;

  @Field(() => Float, { description: "Share of the CE the SAE loses that the NFM gives back." })
  ceGapRecoveredByNfm!: number;

  @Field(() => Float)
  klDivWithSae!: number;

  @Field(() => Float)
  klDivWithSaeNfm!: number;
}

@ObjectType({ description: "The residual-SAE control at one sparsity penalty λ (first seed)." })
export class ResidualSaeRun {
  @Field(() => Float)
  l1!: number;

  @Field(() => Float)
  er!: number;

  @Field(() => [Float])
  ci95!: number[];

  @Field(() => Float)
  l0!: number;

  @Field(() => Boolean, { description: "The main λ: the run the residual_sae model's ER describes." })
  main!: boolean;
}

@ObjectType({ description: "Where the numbers come from." })
export class Provenance {
  @Field(() => String)
  model!: string;

  @Field(() => String)
  hook!: string;

  @Field(() => Int)
  tokens!: number;

  @Field(() => [Int])
  seeds!: number[];

  @Field(() => String)
  backend!: string;

  @Field(() => String, { description: '"trained", or the SAE folder the study was given.' })
  saeSource!: string;

  @Field(() => String)
  packageVersion!: string;

  @Field(() => String, { nullable: true })
  gitCommit!: string | null;

  @Field(() => String, { description: "When the report was written (ISO 8601)." })
  createdAt!: string;

  @Field(() => Float, { description: "Run time in seconds." })
  seconds!: number;

  @Field(() => JSONScalar, { description: "The study's settings as report.json holds them." })
  configs!: StudyReport["provenance"]["configs"];
}

@ObjectType({ description: "The study's evidence from its report.json, typed; the models and gains of its tables." })
export class Evidence {
  @Field(() => Verdict)
  verdict!: Verdict;

  @Field(() => Boolean, {
    description: "Every model ended closed-form or early-stopped (false for version-1 reports).",
  })
  converged!: boolean;

  @Field(() => [String])
  warnings!: string[];

  @Field(() => [ModelFit], {
    description: "Every model the study fitted, NFM variants first (a skipped control is left out).",
  })
  models!: ModelFit[];

  @Field(() => [Gain], {
    description:
      "The ER gains, each the difference of two listed models (a gain the report did not measure is left out).",
  })
  gains!: Gain[];

  @Field(() => CeLoss, { nullable: true, description: "Null when the study measured no CE loss." })
  ceLoss!: CeLoss | null;

  @Field(() => [ResidualSaeRun], { description: "The residual-SAE control by λ (empty when it was skipped)." })
  residualSaeByL1!: ResidualSaeRun[];

  @Field(() => JointFinetune, { nullable: true, description: "The separate joint fine-tuning mode; null when off." })
  jointFinetune!: JointFinetune | null;

  @Field(() => Provenance)
  provenance!: Provenance;
}
