import "reflect-metadata";
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PairExplanation } from "../explanation/explanation.type.js";
import { PairListArgs } from "./interaction.args.js";
import { InteractionPair, PairDimension, PairExample } from "./interaction.type.js";

@Resolver(() => InteractionPair)
export class InteractionPairResolver {
  @FieldResolver(() => [PairExample], {
    description: "Held-out contexts where the pair contributes most (empty when not measured for this pair).",
  })
  examples(@Root() pair: InteractionPair, @Args(() => PairListArgs) args: PairListArgs, @Ctx() ctx: Context) {
    return ctx.interactions.examples(pair, args.first);
  }

  @FieldResolver(() => [PairDimension], { description: "The K dimensions carrying the pair, largest |load| first." })
  kDimensions(@Root() pair: InteractionPair, @Args(() => PairListArgs) args: PairListArgs, @Ctx() ctx: Context) {
    return ctx.interactions.dimensions(pair, args.first);
  }

  @FieldResolver(() => [PairExplanation], {
    description: "What Claude wrote the two features do together (interlace explain --pairs), newest first.",
  })
  explanations(@Root() pair: InteractionPair, @Ctx() ctx: Context) {
    return ctx.explanations.ofPair(pair.studyId, pair.a.index, pair.b.index);
  }
}
