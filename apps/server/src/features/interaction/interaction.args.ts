import "reflect-metadata";
import { ArgsType, Field, Int } from "type-graphql";
import { InteractionOrder } from "./interaction.type.js";

@ArgsType()
export class InteractionsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => InteractionOrder, { nullable: true, defaultValue: InteractionOrder.STRENGTH })
  orderBy!: InteractionOrder;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Only pairs co-active on held-out rows." })
  supportedOnly!: boolean;
}

@ArgsType()
export class InteractionArgs {
  @Field(() => Int)
  a!: number;

  @Field(() => Int)
  b!: number;
}

@ArgsType()
export class InteractionMapArgs {
  @Field(() => Int, { nullable: true, defaultValue: 40, description: "How many features (2 … 200)." })
  features!: number;
}

@ArgsType()
export class PairListArgs {
  @Field(() => Int, { nullable: true, defaultValue: 5 })
  first!: number;
}
