import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Feature } from "../feature/feature.type.js";
import { PageInfo } from "../pagination/page-info.type.js";

@ObjectType()
export class InteractionPair {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { description: "|<v_a, v_b>| in the NFM embedding, or a measured contribution." })
  strength!: number;

  @Field(() => Int, { description: "Rows of the study on which both features were active." })
  coActivations!: number;

  @Field(() => Feature)
  a!: Feature;

  @Field(() => Feature)
  b!: Feature;

  @Field(() => Feature, { nullable: true, description: "The other feature, when the pair is reached from a feature." })
  partner!: Feature | null;
}

@ObjectType()
export class InteractionPairEdge {
  @Field(() => InteractionPair)
  node!: InteractionPair;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class InteractionPairConnection {
  @Field(() => [InteractionPairEdge])
  edges!: InteractionPairEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
