import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../pagination/page-info.type.js";

export enum FeatureOrder {
  INDEX_ASC = "INDEX_ASC",
  DENSITY_DESC = "DENSITY_DESC",
  DENSITY_ASC = "DENSITY_ASC",
  MAX_ACTIVATION_DESC = "MAX_ACTIVATION_DESC",
  MAX_ACTIVATION_ASC = "MAX_ACTIVATION_ASC",
  INTERACTION_STRENGTH_DESC = "INTERACTION_STRENGTH_DESC",
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

  @Field(() => Float, { description: "Mean of the feature's non-zero activations on held-out tokens." })
  meanActivation!: number;

  @Field(() => Float, { description: "The strength of the feature's strongest interaction pair (0 when it has none)." })
  interactionStrength!: number;
}

@ObjectType()
export class ActivationExample {
  @Field(() => [String])
  tokens!: string[];

  @Field(() => [Float])
  values!: number[];

  @Field(() => Float)
  maxValue!: number;

  @Field(() => Int, {
    nullable: true,
    description: "Index in tokens of the example's own token (null for examples stored before feature data).",
  })
  position!: number | null;
}

@ObjectType({ description: "One of the 10 equal-width intervals (lo, hi] of (0, max], with examples drawn from it." })
export class QuantileGroup {
  @Field(() => Float)
  lo!: number;

  @Field(() => Float)
  hi!: number;

  @Field(() => Int, { description: "Held-out tokens whose activation falls in the interval." })
  count!: number;

  @Field(() => [ActivationExample], {
    description: "Up to 5 examples drawn (seeded) from the interval, strongest first.",
  })
  examples!: ActivationExample[];
}

@ObjectType({ description: "A token and the feature's direct effect on its logit." })
export class LogitEffect {
  @Field(() => String)
  token!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType()
export class FeatureNeighbour {
  @Field(() => Feature)
  feature!: Feature;

  @Field(() => Float, { description: "Signed cosine of the two decoder directions." })
  cosine!: number;
}

@ObjectType()
export class CoActivatingFeature {
  @Field(() => Feature)
  feature!: Feature;

  @Field(() => Int, { description: "Held-out tokens on which both features fire." })
  count!: number;

  @Field(() => Float, { description: "P(a and b) / (P(a) P(b)) over held-out tokens." })
  lift!: number;
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
