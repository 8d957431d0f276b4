import "reflect-metadata";
import { demoDesign } from "@interlace/compute/stimulus";
import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { JSONScalar } from "../../graphql/scalars.js";
import { ROLE_EXTENSION } from "../access/access.js";
import { Study } from "../study/study.type.js";
import { StartStimulusAnalysisInput, StimulusAnalysesArgs } from "./stimulus.args.js";
import { StimulusAnalysis } from "./stimulus.type.js";

@Resolver(() => StimulusAnalysis)
export class StimulusResolver {
  @Query(() => StimulusAnalysis, { nullable: true })
  stimulusAnalysis(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<StimulusAnalysis | null> {
    return ctx.stimulus.find(id);
  }

  @Query(() => JSONScalar, { description: "The demo design (Mexico × war on the State of the Union vocabulary)." })
  stimulusDemoDesign(): unknown {
    return demoDesign();
  }

  @Mutation(() => StimulusAnalysis, {
    description: "Check a 2×2 design against a study and queue its analysis. Needs a token of role analyst.",
  })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  startStimulusAnalysis(
    @Arg("input", () => StartStimulusAnalysisInput) input: StartStimulusAnalysisInput,
    @Ctx() ctx: Context,
  ): Promise<StimulusAnalysis> {
    return ctx.stimulus.start(input);
  }
}

@Resolver(() => Study)
export class StudyStimulusResolver {
  @FieldResolver(() => [StimulusAnalysis], { description: "The study's stimulus analyses, newest first." })
  stimulusAnalyses(
    @Root() study: Study,
    @Args(() => StimulusAnalysesArgs) args: StimulusAnalysesArgs,
    @Ctx() ctx: Context,
  ): Promise<StimulusAnalysis[]> {
    return ctx.stimulus.ofStudy(study.id, args.first);
  }
}
