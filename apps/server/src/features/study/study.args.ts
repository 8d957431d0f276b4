import "reflect-metadata";
import { ArgsType, Field, Int } from "type-graphql";

@ArgsType()
export class TopInteractionsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20 })
  first!: number;
}

@ArgsType()
export class DensityHistogramArgs {
  @Field(() => Int, { nullable: true, defaultValue: 30 })
  bins!: number;
}
