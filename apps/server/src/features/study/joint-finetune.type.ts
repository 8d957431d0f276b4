import "reflect-metadata";
import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A value with its bootstrap 95% CI." })
export class Estimate {
  @Field(() => Float)
  value!: number;

  @Field(() => [Float], { description: "[lo, hi]" })
  ci95!: number[];
}

@ObjectType({ description: "An arm's SAE + head evaluated on the held-out rows." })
export class JointEvaluation {
  @Field(() => Float, { description: "Explained variance of x by SAE(x) + head." })
  ev!: number;

  @Field(() => [Float])
  ci95!: number[];

  @Field(() => Float, { description: "Explained variance of the SAE part alone." })
  saeEv!: number;

  @Field(() => [Float])
  saeCi95!: number[];

  @Field(() => Float)
  l0!: number;

  @Field(() => Float, { description: "Mean ‖W_dec[i]‖ of the SAE: shrinking means the head took over decoding." })
  meanDecoderNorm!: number;
}

@ObjectType({ description: "The SAE fine-tuned together with one head (or alone)." })
export class JointArm {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "sae_alone, nfm, linear, mlp or other." })
  role!: string;

  @Field(() => Int)
  headParameters!: number;

  @Field(() => String, { description: "completed, aborted or non_finite." })
  stopReason!: string;

  @Field(() => Int)
  steps!: number;

  @Field(() => JointEvaluation, { description: "The starting SAE with the frozen head." })
  before!: JointEvaluation;

  @Field(() => JointEvaluation)
  after!: JointEvaluation;

  @Field(() => Estimate, { description: "EV(after) − EV(before), paired." })
  evChange!: Estimate;

  @Field(() => Float)
  l0Change!: number;
}

@ObjectType({ description: "A paired difference of two jointly fine-tuned arms' explained variance (EV, not ER)." })
export class JointComparison {
  @Field(() => String, { description: "The comparison's key in report.json's joint_finetune." })
  name!: string;

  @Field(() => Float, { nullable: true, description: "EV(compares[0]) − EV(compares[1]); null without both arms." })
  value!: number | null;

  @Field(() => [Float], { nullable: true })
  ci95!: number[] | null;

  @Field(() => [String], { description: "The two arms compared, a then b (empty when not computed)." })
  compares!: string[];

  @Field(() => String, { description: "What a positive value means." })
  description!: string;
}

@ObjectType({ description: "The separate joint fine-tuning mode: the SAE itself changes, so not comparable with ER." })
export class JointFinetune {
  @Field(() => String)
  label!: string;

  @Field(() => String)
  sentence!: string;

  @Field(() => Int)
  steps!: number;

  @Field(() => Float)
  lr!: number;

  @Field(() => Float)
  l1!: number;

  @Field(() => Float)
  inputScale!: number;

  @Field(() => Int)
  trainRows!: number;

  @Field(() => Int)
  heldOutRows!: number;

  @Field(() => [JointArm])
  arms!: JointArm[];

  @Field(() => [JointComparison])
  comparisons!: JointComparison[];
}
