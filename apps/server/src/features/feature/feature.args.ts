import "reflect-metadata";
import { ArgsType, Field, Float, InputType, Int } from "type-graphql";
import { FeatureOrder } from "./feature.type.js";

@InputType({ description: "Keeps features whose density and max activation fall in the given ranges." })
export class FeatureFilter {
  @Field(() => Float, { nullable: true, description: "Smallest density kept (0 … 1)." })
  minDensity?: number | null;

  @Field(() => Float, { nullable: true, description: "Largest density kept (0 … 1)." })
  maxDensity?: number | null;

  @Field(() => Float, { nullable: true, description: "Smallest max activation kept." })
  minMaxActivation?: number | null;
}

@ArgsType()
export class FeaturesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => FeatureOrder, { nullable: true, defaultValue: FeatureOrder.INDEX_ASC })
  orderBy!: FeatureOrder;

  @Field(() => FeatureFilter, { nullable: true })
  filter?: FeatureFilter | null;
  @Field(() => String, {
    nullable: true,
    description: "Keeps features with an explanation matching these words (Postgres full-text search, English).",
  })
  search?: string | null;
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

@ArgsType()
export class FeatureListArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  first!: number;
}
