import "reflect-metadata";
import { ArgsType, Field, InputType, Int } from "type-graphql";

@InputType()
export class StudyRunInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "A local model directory or a Hugging Face id." })
  model!: string;

  @Field(() => Int)
  layer!: number;

  @Field(() => Int, { nullable: true, defaultValue: 20000 })
  tokens!: number;

  @Field(() => Int, { nullable: true, defaultValue: 256 })
  dSae!: number;

  @Field(() => Int, { nullable: true, defaultValue: 16 })
  nfmK!: number;
}

@ArgsType()
export class RunsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 })
  first!: number;
}
