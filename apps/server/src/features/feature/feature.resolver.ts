import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { InteractionPairConnection } from "../interaction/interaction.type.js";
import { ExamplesArgs, PartnersArgs } from "./feature.args.js";
import { ActivationExample, Feature } from "./feature.type.js";

@Resolver(() => Feature)
export class FeatureResolver {
  @Query(() => Feature, { nullable: true, description: "A feature of a study by its SAE index." })
  feature(
    @Arg("studyId", () => ID) studyId: string,
    @Arg("index", () => Int) index: number,
    @Ctx() ctx: Context,
  ): Promise<Feature | null> {
    return ctx.features.find(studyId, index);
  }

  @FieldResolver(() => [ActivationExample])
  examples(@Root() feature: Feature, @Args(() => ExamplesArgs) args: ExamplesArgs, @Ctx() ctx: Context) {
    return ctx.features.examples(feature, args.first);
  }

  @FieldResolver(() => InteractionPairConnection)
  interactionPartners(@Root() feature: Feature, @Args(() => PartnersArgs) args: PartnersArgs, @Ctx() ctx: Context) {
    return ctx.interactions.partners(feature, args);
  }
}
