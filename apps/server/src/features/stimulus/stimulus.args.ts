import "reflect-metadata";
import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { JSONScalar } from "../../graphql/scalars.js";

@InputType()
export class StartStimulusAnalysisInput {
  @Field(() => ID, { description: "The study's id." })
  studyId!: string;

  @Field(() => JSONScalar, {
    description:
      'The design: {"name", "a": {"name", "levels": [absent, present]}, "b", "readout", "prompts": {"a0b0": […], …}, "targets"?}.',
  })
  design!: unknown;

  @Field(() => String, { nullable: true, defaultValue: "interaction_norm" })
  measure!: string;

  @Field(() => Int, { nullable: true, defaultValue: 2 })
  anovaType!: number;
}

@ArgsType()
export class StimulusAnalysesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20 })
  first!: number;
}
