import "reflect-metadata";
import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { Feature } from "../feature/feature.type.js";
import { PageInfo } from "../pagination/page-info.type.js";

export enum KDimensionOrder {
  INDEX = "INDEX",
  VARIANCE_EXPLAINED = "VARIANCE_EXPLAINED",
  EFFECTIVE_RANK = "EFFECTIVE_RANK",
  L0 = "L0",
}
registerEnumType(KDimensionOrder, { name: "KDimensionOrder" });

@ObjectType({ description: "How the first seed's pair ranking agrees with one seed's." })
export class SeedAgreement {
  @Field(() => Int)
  seed!: number;

  @Field(() => Float, { nullable: true, description: "Spearman ρ of the first seed's top pairs' strengths." })
  spearman!: number | null;

  @Field(() => Float, { description: "Shared share of the two seeds' top pairs (overlap@top)." })
  overlap!: number;
}

@ObjectType()
export class PairRankingReplication {
  @Field(() => Int, { description: "How many top pairs are compared." })
  top!: number;

  @Field(() => [SeedAgreement], { description: "Over all pairs." })
  seeds!: SeedAgreement[];

  @Field(() => [SeedAgreement], {
    nullable: true,
    description: "Over pairs co-active on held-out rows only (null for studies stored before it was measured).",
  })
  supportedSeeds!: SeedAgreement[] | null;
}

@ObjectType({ description: "Whether strong pairs merely mirror co-occurrence." })
export class CooccurrenceCheck {
  @Field(() => Float, { nullable: true, description: "Spearman ρ of |strength| and lift over stored co-active pairs." })
  spearman!: number | null;

  @Field(() => Int)
  pairs!: number;
}

@ObjectType({ description: "The study's full NFM." })
export class Nfm {
  @Field(() => Int, { nullable: true })
  k!: number | null;

  @Field(() => String)
  variant!: string;

  @Field(() => Float, { nullable: true, description: "Held-out error reduction." })
  er!: number | null;

  @Field(() => [Float], { nullable: true })
  ci95!: number[] | null;

  @Field(() => Int, { nullable: true })
  parameters!: number | null;

  @Field(() => CooccurrenceCheck, { nullable: true })
  cooccurrence!: CooccurrenceCheck | null;

  @Field(() => PairRankingReplication, { nullable: true })
  replication!: PairRankingReplication | null;
}

@ObjectType()
export class KDimensionLoading {
  @Field(() => Feature)
  feature!: Feature;

  @Field(() => Float, { description: "v_feature,k (signed)." })
  loading!: number;
}

@ObjectType({ description: "A column k of the NFM's embedding V." })
export class KDimension {
  studyId!: string;

  @Field(() => Int)
  index!: number;

  @Field(() => Int, { description: "#{i : |v_ik| > 0.01 · max_i |v_ik|}." })
  l0!: number;

  @Field(() => Float)
  l1!: number;

  @Field(() => Float)
  l2!: number;

  @Field(() => Float, { description: "max_i |v_ik|." })
  max!: number;

  @Field(() => Float)
  gini!: number;

  @Field(() => Float, { description: "exp(−Σ p_i ln p_i), p_i = v_ik² / Σ_j v_jk²." })
  effectiveRank!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Mean drop of ‖interaction output‖² on held-out rows with BI(f)_k = 0, over its mean.",
  })
  varianceExplained!: number | null;

  /** Stored top loadings and pairs (resolved by field resolvers). */
  loadings!: { feature: number; loading: number }[];
  pairs!: { a: number; b: number; load: number }[];
}

@ObjectType()
export class KDimensionEdge {
  @Field(() => KDimension)
  node!: KDimension;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class KDimensionConnection {
  @Field(() => [KDimensionEdge])
  edges!: KDimensionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: "A feature's row of V." })
export class FeatureEmbedding {
  @Field(() => [Float])
  values!: number[];
}

@ObjectType()
export class FeatureDimension {
  @Field(() => Int)
  index!: number;

  @Field(() => Float, { description: "v_feature,k (signed)." })
  loading!: number;
}
