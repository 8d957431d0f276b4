import "reflect-metadata";
import { ArgsType, Field, Int } from "type-graphql";
import { FeatureOrder } from "./feature.type.js";

@ArgsType()
export class FeaturesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => FeatureOrder, { nullable: true, defaultValue: FeatureOrder.INDEX_ASC })
  orderBy!: FeatureOrder;
}

@ArgsType()
export class ExamplesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  first!: number;
}

@ArgsType()
export class PartnersArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
