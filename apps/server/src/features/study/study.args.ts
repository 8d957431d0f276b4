import "reflect-metadata";
import { ArgsType, Field, ID, Int } from "type-graphql";

@ArgsType()
export class StudiesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: "At most 500." })
  first!: number;

  @Field(() => ID, { nullable: true, description: "The id of the last study of the previous page." })
  after?: string | null;
}

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
