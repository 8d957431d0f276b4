import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { InteractionPairConnection } from "../interaction/interaction.type.js";
import { NfmListArgs } from "../nfm/nfm.args.js";
import { FeatureDimension, FeatureEmbedding } from "../nfm/nfm.type.js";
import { HistogramBin } from "../study/study.type.js";
import { ExamplesArgs, FeatureListArgs, PartnersArgs } from "./feature.args.js";
import {
  ActivationExample,
  CoActivatingFeature,
  Feature,
  FeatureNeighbour,
  LogitEffect,
  QuantileGroup,
} from "./feature.type.js";

@Resolver(() => Feature)
export class FeatureResolver {
  @Query(() => Feature, {
    description: "A feature of a study by its SAE index; an unknown study or an index out of range is an error.",
  })
  feature(
    @Arg("studyId", () => ID) studyId: string,
    @Arg("index", () => Int) index: number,
    @Ctx() ctx: Context,
  ): Promise<Feature> {
    return ctx.features.find(studyId, index);
  }

  @FieldResolver(() => [ActivationExample], { description: "The top activating contexts (one per window)." })
  examples(@Root() feature: Feature, @Args(() => ExamplesArgs) args: ExamplesArgs, @Ctx() ctx: Context) {
    return ctx.features.examples(feature, args.first);
  }

  @FieldResolver(() => [HistogramBin], { description: "Non-zero held-out activations in 50 bins over (0, max]." })
  histogram(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.features.histogram(feature, "activation");
  }

  @FieldResolver(() => [QuantileGroup])
  quantiles(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.features.quantiles(feature);
  }

  @FieldResolver(() => [LogitEffect], { description: "The 10 tokens whose logits the direction raises most." })
  topLogits(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.features.logits(feature, "top");
  }

  @FieldResolver(() => [LogitEffect], { description: "The 10 tokens whose logits the direction lowers most." })
  bottomLogits(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.features.logits(feature, "bottom");
  }

  @FieldResolver(() => [HistogramBin], { description: "Direct logit effects over the vocabulary in 50 bins." })
  logitHistogram(@Root() feature: Feature, @Ctx() ctx: Context) {
    return ctx.features.histogram(feature, "logit");
  }

  @FieldResolver(() => [FeatureNeighbour], { description: "Features with the most similar decoder directions." })
  neighbours(@Root() feature: Feature, @Args(() => FeatureListArgs) args: FeatureListArgs, @Ctx() ctx: Context) {
    return ctx.features.neighbours(feature, args.first);
  }

  @FieldResolver(() => [CoActivatingFeature], { description: "Features that fire most often on the same tokens." })
  coActivating(@Root() feature: Feature, @Args(() => FeatureListArgs) args: FeatureListArgs, @Ctx() ctx: Context) {
    return ctx.features.coActivating(feature, args.first);
  }

  @FieldResolver(() => InteractionPairConnection)
  interactionPartners(@Root() feature: Feature, @Args(() => PartnersArgs) args: PartnersArgs, @Ctx() ctx: Context) {
    return ctx.interactions.partners(feature, args);
  }

  @FieldResolver(() => FeatureEmbedding, { nullable: true, description: "The feature's row of the NFM's V." })
  async embedding(@Root() feature: Feature, @Ctx() ctx: Context) {
    const values = await ctx.nfm.embedding(feature.studyId, feature.index);
    return values ? { values } : null;
  }

  @FieldResolver(() => [FeatureDimension], { description: "The K dimensions where |v_feature,k| is largest." })
  topKDimensions(@Root() feature: Feature, @Args(() => NfmListArgs) args: NfmListArgs, @Ctx() ctx: Context) {
    return ctx.nfm.topDimensions(feature, args.first);
  }
}
