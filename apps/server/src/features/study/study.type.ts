import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars.js";

@ObjectType()
export class StudyMetrics {
  @Field(() => Int)
  tokens!: number;

  @Field(() => Int)
  dIn!: number;

  @Field(() => Int)
  dSae!: number;

  @Field(() => Float, { nullable: true })
  saeExplainedVariance!: number | null;

  @Field(() => Float, { nullable: true })
  saeL0!: number | null;

  @Field(() => Float, { nullable: true })
  saeMse!: number | null;

  @Field(() => Float, { nullable: true })
  deadFraction!: number | null;

  @Field(() => Float, { nullable: true })
  nfmErrorReduction!: number | null;

  @Field(() => [Float], { nullable: true })
  nfmErrorReductionCi95!: number[] | null;

  @Field(() => Int, { nullable: true })
  nfmK!: number | null;
}

@ObjectType()
export class HistogramBin {
  @Field(() => Float)
  lo!: number;

  @Field(() => Float)
  hi!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class Study {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Model name or path as given." })
  model!: string;

  @Field(() => String, { description: "TransformerLens hook name, e.g. blocks.3.hook_resid_post." })
  hook!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => StudyMetrics)
  metrics!: StudyMetrics;

  @Field(() => JSONScalar, {
    nullable: true,
    description: "The full report.json as stored (for download); read it through evidence.",
  })
  report!: Record<string, unknown> | null;
}
