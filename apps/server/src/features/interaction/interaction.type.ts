import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Feature } from "../feature/feature.type.js";
import { PageInfo } from "../pagination/page-info.type.js";

export enum InteractionOrder {
  STRENGTH = "STRENGTH",
  CONTRIBUTION = "CONTRIBUTION",
  LIFT = "LIFT",
}
registerEnumType(InteractionOrder, {
  name: "InteractionOrder",
  description: "Supported pairs always come first; then |strength|, contribution or lift, largest first.",
});

@ObjectType({ description: "How a pair's strength holds up across the NFM's seeds." })
export class PairReplication {
  @Field(() => Int, { description: "Seeds whose strongest pairs (the stored depth) include this pair." })
  seeds!: number;

  @Field(() => Float, { description: "seeds / the number of seeds fitted." })
  overlap!: number;

  @Field(() => [Float], { description: "⟨v_a, v_b⟩ in each seed's NFM, in seed order." })
  strengths!: number[];
}

@ObjectType({ description: "A context where the pair contributes, with both features' activation per token." })
export class PairExample {
  @Field(() => [String])
  tokens!: string[];

  @Field(() => [Float])
  aValues!: number[];

  @Field(() => [Float])
  bValues!: number[];

  @Field(() => Float, { description: "The pair's contribution on the context's own token." })
  contribution!: number;
}

@ObjectType({ description: "A K dimension carrying the pair: its term v_a,k · v_b,k of the strength." })
export class PairDimension {
  @Field(() => Int)
  index!: number;

  @Field(() => Float, { description: "v_a,k · v_b,k (the strength is the sum over k)." })
  load!: number;

  @Field(() => Float)
  aLoading!: number;

  @Field(() => Float)
  bLoading!: number;
}

@ObjectType()
export class InteractionPair {
  @Field(() => ID)
  id!: string;

  /** The pair's study (not a field: the features carry it). */
  studyId!: string;

  @Field(() => Float, {
    description: "⟨v_a, v_b⟩ in the NFM's embedding (signed; pairs stored before signs were kept hold |⟨v_a, v_b⟩|).",
  })
  strength!: number;

  @Field(() => Int, {
    nullable: true,
    description: "Held-out rows on which both features are active (null: not measured for this pair).",
  })
  coActivations!: number | null;

  @Field(() => Float, { nullable: true, description: "Observed / expected co-activation under independence." })
  lift!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "False when the pair is never co-active on held-out rows (its strength was never exercised).",
  })
  supported!: boolean | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Mean ‖change of the NFM output‖ when the pair's term is removed from BI(f), over held-out co-active rows.",
  })
  contribution!: number | null;

  @Field(() => Int, { nullable: true, description: "Co-active rows the contribution is averaged over." })
  contributionRows!: number | null;

  @Field(() => Float, { nullable: true, description: "The pair's share of the NFM's interaction output." })
  share!: number | null;

  @Field(() => PairReplication, { nullable: true })
  replication!: PairReplication | null;

  @Field(() => Boolean, { description: "Whether the study stores this pair's measurements." })
  stored!: boolean;

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

@ObjectType({ description: "The features with the largest summed |strength| and the signed strengths among them." })
export class InteractionMap {
  @Field(() => [Feature])
  features!: Feature[];

  @Field(() => [[Float]], { description: "Symmetric, zero diagonal: strengths[i][j] = ⟨v_i, v_j⟩." })
  strengths!: number[][];
}
