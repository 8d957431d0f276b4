import "reflect-metadata";
import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { RATE_LIMIT_EXTENSION, ROLE_EXTENSION } from "../access/access.js";
import { SteerFeatureInput, SteerResult, TextReading } from "./steering.type.js";

@Resolver()
export class SteeringResolver {
  @Mutation(() => SteerResult, {
    description:
      "Continue a prompt with the study's SAE features added or clamped at its hook, beside the unsteered continuation. Needs a token of role analyst.",
  })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  steer(
    @Arg("studyId", () => ID) studyId: string,
    @Arg("prompt", () => String) prompt: string,
    @Arg("features", () => [SteerFeatureInput]) features: SteerFeatureInput[],
    @Arg("maxNewTokens", () => Int, { defaultValue: 16 }) maxNewTokens: number,
    @Arg("seed", () => Int, { nullable: true, description: "Sample with this seed; unset for greedy decoding." })
    seed: number | null,
    @Ctx() ctx: Context,
  ): Promise<SteerResult> {
    return ctx.steering.steer({ studyId, prompt, features, maxNewTokens, seed: seed ?? null });
  }

  @Query(() => TextReading, {
    description:
      "Read any text through a study: per token its most active features, SAE error norm, NFM interaction norm and top pairs. Rate-limited like mutations.",
  })
  @Extensions({ [RATE_LIMIT_EXTENSION]: true })
  analyzeText(
    @Arg("studyId", () => ID) studyId: string,
    @Arg("text", () => String) text: string,
    @Ctx() ctx: Context,
  ): Promise<TextReading> {
    return ctx.steering.analyzeText(studyId, text);
  }
}
