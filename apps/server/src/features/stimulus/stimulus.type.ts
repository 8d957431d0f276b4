import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars.js";
import { RunStatus } from "../run/run.type.js";

@ObjectType({
  description: "One cell of the 2×2 design: A's and B's level (0 absent, 1 present) and the measure's mean.",
})
export class StimulusCell {
  @Field(() => Int)
  a!: number;

  @Field(() => Int)
  b!: number;

  @Field(() => Int)
  n!: number;

  @Field(() => Float, { nullable: true })
  mean!: number | null;

  @Field(() => [Float], { nullable: "items", description: "95% t interval of the mean." })
  ci95!: (number | null)[];
}

@ObjectType({ description: "One row of the two-way ANOVA table: term a, b or ab." })
export class StimulusAnovaRow {
  @Field(() => String)
  term!: string;

  @Field(() => Float, { nullable: true })
  F!: number | null;

  @Field(() => Float, { nullable: true })
  p!: number | null;

  @Field(() => Float, { nullable: true })
  partialEta2!: number | null;
}

@ObjectType({ description: "The interaction contrast μ11 − μ10 − μ01 + μ00 of the measure." })
export class StimulusContrast {
  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => [Float], { nullable: "items", description: "Percentile bootstrap 95% CI (resampling within cells)." })
  ci95!: (number | null)[];

  @Field(() => Float, {
    nullable: true,
    description: "Freedman–Lane permutation p of the A×B F (10,000 permutations).",
  })
  pPermutation!: number | null;
}

@ObjectType({ description: "A feature or interaction dimension among the top items of one effect." })
export class StimulusDiscovered {
  @Field(() => String, { description: "feature or k_dim" })
  kind!: string;

  @Field(() => Int)
  index!: number;

  @Field(() => String, { description: "a, b or ab" })
  effect!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  p!: number | null;

  @Field(() => Float, { nullable: true, description: "Benjamini–Hochberg q across all features and dimensions." })
  q!: number | null;
}

@ObjectType({ description: "A 2×2 stimulus-response analysis of a study." })
export class StimulusAnalysis {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  studyId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => JSONScalar, { description: "The design as given: factors, readout, prompts per cell, targets." })
  design!: Record<string, unknown>;

  @Field(() => String)
  measure!: string;

  @Field(() => Int)
  anovaType!: number;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Float, { description: "0..1" })
  progress!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => ID, { nullable: true })
  runId!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => [StimulusCell], { description: "Empty until the run succeeds." })
  cells!: StimulusCell[];

  @Field(() => [StimulusAnovaRow])
  anova!: StimulusAnovaRow[];

  @Field(() => StimulusContrast, { nullable: true })
  contrast!: StimulusContrast | null;

  @Field(() => [StimulusDiscovered])
  discovered!: StimulusDiscovered[];

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      "Plot data: prompts, per measure its per-prompt values and cell means with CIs; pairs, targets, constant items.",
  })
  chart!: Record<string, unknown> | null;
}
