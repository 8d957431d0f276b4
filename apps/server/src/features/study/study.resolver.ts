import "reflect-metadata";
import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { ROLE_EXTENSION } from "../access/access.js";
import { FeaturesArgs } from "../feature/feature.args.js";
import { FeatureConnection } from "../feature/feature.type.js";
import { InteractionArgs, InteractionMapArgs, InteractionsArgs } from "../interaction/interaction.args.js";
import { InteractionMap, InteractionPair, InteractionPairConnection } from "../interaction/interaction.type.js";
import { KDimensionsArgs } from "../nfm/nfm.args.js";
import { KDimension, KDimensionConnection, Nfm } from "../nfm/nfm.type.js";
import { Evidence } from "./evidence.type.js";
import { DensityHistogramArgs, StudiesArgs, TopInteractionsArgs } from "./study.args.js";
import { HistogramBin, Study } from "./study.type.js";

@Resolver(() => Study)
export class StudyResolver {
  @Query(() => [Study], { description: "Studies, newest first, `first` at a time." })
  studies(@Args(() => StudiesArgs) args: StudiesArgs, @Ctx() ctx: Context): Promise<Study[]> {
    return ctx.studies.list(args.first, args.after);
  }

  @Query(() => Study, { nullable: true })
  study(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Study | null> {
    return ctx.studies.find(id);
  }

  @Mutation(() => Boolean, {
    description: "Delete a study with its features and interactions (runs keep their record). Needs role admin.",
  })
  @Extensions({ [ROLE_EXTENSION]: "admin" })
  deleteStudy(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.studies.delete(id);
  }

  @FieldResolver(() => Evidence, {
    nullable: true,
    description: "The evidence of report.json as typed fields (any report version); null when there is no report.",
  })
  evidence(@Root() study: Study, @Ctx() ctx: Context): Evidence | null {
    return ctx.studies.evidence(study);
  }

  @FieldResolver(() => FeatureConnection)
  features(@Root() study: Study, @Args(() => FeaturesArgs) args: FeaturesArgs, @Ctx() ctx: Context) {
    return ctx.features.page(study.id, args);
  }

  @FieldResolver(() => [InteractionPair])
  topInteractions(
    @Root() study: Study,
    @Args(() => TopInteractionsArgs) args: TopInteractionsArgs,
    @Ctx() ctx: Context,
  ) {
    return ctx.interactions.top(study.id, args.first);
  }

  @FieldResolver(() => [HistogramBin], { description: "log10 feature density histogram (dead features excluded)." })
  densityHistogram(
    @Root() study: Study,
    @Args(() => DensityHistogramArgs) args: DensityHistogramArgs,
    @Ctx() ctx: Context,
  ) {
    return ctx.studies.densityHistogram(study.id, args.bins);
  }

  @FieldResolver(() => Nfm, {
    nullable: true,
    description: "The full NFM: fit, and the study-wide checks of its pairs.",
  })
  nfm(@Root() study: Study, @Ctx() ctx: Context) {
    return ctx.nfm.summary(study);
  }

  @FieldResolver(() => KDimensionConnection, { description: "The NFM's K dimensions (columns of V)." })
  kDimensions(@Root() study: Study, @Args(() => KDimensionsArgs) args: KDimensionsArgs, @Ctx() ctx: Context) {
    return ctx.nfm.page(study.id, args);
  }

  @FieldResolver(() => KDimension, { nullable: true, description: "One K dimension (null when not stored)." })
  kDimension(@Root() study: Study, @Arg("index", () => Int) index: number, @Ctx() ctx: Context) {
    return ctx.nfm.find(study.id, index);
  }

  @FieldResolver(() => InteractionPair, {
    description: "Any two distinct features, in either order: stored measurements when the pair is stored.",
  })
  interaction(@Root() study: Study, @Args(() => InteractionArgs) args: InteractionArgs, @Ctx() ctx: Context) {
    return ctx.interactions.pair(study.id, args.a, args.b);
  }

  @FieldResolver(() => InteractionPairConnection, {
    description:
      "The stored pairs: the top pairs by |strength| and the top held-out co-active pairs by |strength|. Supported first.",
  })
  interactions(@Root() study: Study, @Args(() => InteractionsArgs) args: InteractionsArgs, @Ctx() ctx: Context) {
    return ctx.interactions.page(study.id, args);
  }

  @FieldResolver(() => InteractionMap)
  interactionMap(@Root() study: Study, @Args(() => InteractionMapArgs) args: InteractionMapArgs, @Ctx() ctx: Context) {
    return ctx.interactions.map(study.id, args.features);
  }
}
