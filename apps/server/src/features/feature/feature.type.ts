import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../pagination/page-info.type.js";

export enum FeatureOrder {
  INDEX_ASC = "INDEX_ASC",
  DENSITY_DESC = "DENSITY_DESC",
  DENSITY_ASC = "DENSITY_ASC",
  MAX_ACTIVATION_DESC = "MAX_ACTIVATION_DESC",
  MAX_ACTIVATION_ASC = "MAX_ACTIVATION_ASC",
}
registerEnumType(FeatureOrder, { name: "FeatureOrder" });

@ObjectType()
export class Feature {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  studyId!: string;

  @Field(() => Int)
  index!: number;

  @Field(() => Float, { description: "Fraction of held-out tokens on which the feature fires." })
  density!: number;

  @Field(() => Float)
  maxActivation!: number;
}

@ObjectType()
export class ActivationExample {
  @Field(() => [String])
  tokens!: string[];

  @Field(() => [Float])
  values!: number[];

  @Field(() => Float)
  maxValue!: number;
}

@ObjectType()
export class FeatureEdge {
  @Field(() => Feature)
  node!: Feature;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class FeatureConnection {
  @Field(() => [FeatureEdge])
  edges!: FeatureEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
