import "reflect-metadata";
import { ArgsType, Field, Int } from "type-graphql";
import { KDimensionOrder } from "./nfm.type.js";

@ArgsType()
export class KDimensionsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => KDimensionOrder, { nullable: true, defaultValue: KDimensionOrder.INDEX })
  orderBy!: KDimensionOrder;
}

@ArgsType()
export class NfmListArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  first!: number;
}
