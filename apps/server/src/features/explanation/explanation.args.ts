import "reflect-metadata";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { ExplainScorer } from "./explanation.type.js";

@ArgsType()
export class ExplainFeaturesArgs {
  @Field(() => ID)
  studyId!: string;
  @Field(() => [Int], { nullable: true, description: "The features to explain (give this or top)." })
  indices?: number[] | null;
  @Field(() => Int, { nullable: true, description: "Explain the N densest features (give this or indices)." })
  top?: number | null;
  @Field(() => [ExplainScorer], { nullable: true, description: "Default: detection and fuzzing." })
  scorers?: ExplainScorer[] | null;
  @Field(() => Int, {
    nullable: true,
    description: "Input + output tokens the run may spend; at most the server's INTERLACE_EXPLAIN_TOKEN_BUDGET.",
  })
  tokenBudget?: number | null;
  @Field(() => Int, { nullable: true, description: "Seed of the held-out split (default 0)." })
  seed?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "Also explain the interaction pairs among these features, from the windows both fire in.",
  })
  pairs?: boolean | null;
}
