import "reflect-metadata";
import { Args, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { ROLE_EXTENSION } from "../access/access.js";
import { Feature } from "../feature/feature.type.js";
import { Run } from "../run/run.type.js";
import { Study } from "../study/study.type.js";
import { ExplainFeaturesArgs } from "./explanation.args.js";
import { ExplainFeatureOutcome, Explanation, ExplanationBaseline } from "./explanation.type.js";

@Resolver(() => Feature)
export class FeatureExplanationResolver {
  @FieldResolver(() => [Explanation], { description: "Explanations written by a language model, newest first." })
  explanations(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.explanations.ofFeature(feature);
  }
}

@Resolver(() => Study)
export class StudyExplanationResolver {
  @FieldResolver(() => [ExplanationBaseline], {
    description: "Scores of a feature judged by another feature's explanation: what chance looks like.",
  })
  explanationBaselines(@Root() study: Study, @Ctx() ctx: Context) {
    return ctx.explanations.baselines(study.id);
  }
}

@Resolver(() => Run)
export class RunExplanationResolver {
  @FieldResolver(() => [ExplainFeatureOutcome], {
    description: "For explain runs: each feature's outcome so far, by index (empty for other runs).",
  })
  featureOutcomes(@Root() run: Run, @Ctx() ctx: Context) {
    return run.kind === "explain" ? ctx.explanations.ofRun(run.id) : [];
  }
}

@Resolver()
export class ExplainResolver {
  @Mutation(() => Run, {
    description:
      "Queue a run that explains features with Claude and scores the explanations. Needs a token of role analyst.",
  })
  @Extensions({ [ROLE_EXTENSION]: "analyst" })
  explainFeatures(@Args(() => ExplainFeaturesArgs) args: ExplainFeaturesArgs, @Ctx() ctx: Context): Promise<Run> {
    return ctx.explanations.request(args);
  }
}
