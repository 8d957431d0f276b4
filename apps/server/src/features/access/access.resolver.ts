import "reflect-metadata";
import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Viewer } from "./viewer.type.js";

@Resolver(() => Viewer)
export class AccessResolver {
  @Query(() => Viewer, {
    nullable: true,
    description: "Who the request's token belongs to; null without a usable token.",
  })
  viewer(@Ctx() ctx: Context): Viewer | null {
    return "problem" in ctx.caller ? null : { name: ctx.caller.name, role: ctx.caller.role };
  }
}
