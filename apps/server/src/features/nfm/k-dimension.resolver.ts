import "reflect-metadata";
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { checkCount } from "../../graphql/errors.js";
import { InteractionPair } from "../interaction/interaction.type.js";
import { NfmListArgs } from "./nfm.args.js";
import { KDimension, KDimensionLoading } from "./nfm.type.js";

@Resolver(() => KDimension)
export class KDimensionResolver {
  @FieldResolver(() => [KDimensionLoading], { description: "Features by |loading| descending (signed loadings)." })
  topFeatures(@Root() dimension: KDimension, @Args(() => NfmListArgs) args: NfmListArgs, @Ctx() ctx: Context) {
    return ctx.nfm.loadings(dimension, args.first);
  }

  @FieldResolver(() => [InteractionPair], { description: "Stored pairs by |v_a,k · v_b,k| descending." })
  async topPairs(@Root() dimension: KDimension, @Args(() => NfmListArgs) args: NfmListArgs, @Ctx() ctx: Context) {
    const wanted = dimension.pairs.slice(0, checkCount("first", args.first));
    const pairs = await Promise.all(wanted.map((p) => ctx.interactions.stored(dimension.studyId, p.a, p.b)));
    return pairs.filter((p) => p !== null);
  }
}
