import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "../../graphql/scalars.js";

export enum ExplainScorer {
  DETECTION = "DETECTION",
  FUZZING = "FUZZING",
}
registerEnumType(ExplainScorer, {
  name: "ExplainScorer",
  valuesConfig: {
    DETECTION: {
      description:
        "The scorer reads the explanation and says which held-out excerpts activate the feature (EleutherAI).",
    },
    FUZZING: {
      description: "The scorer says which held-out excerpts have the feature's active tokens marked correctly.",
    },
  },
});

@ObjectType({ description: "A scorer's verdict on an explanation: balanced accuracy over held-out examples." })
export class ExplanationScore {
  @Field(() => ExplainScorer)
  kind!: ExplainScorer;
  @Field(() => Float, { description: "Balanced accuracy (mean recall of the two classes), 0 … 1; 0.5 is chance." })
  value!: number;
  @Field(() => Int, { description: "Excerpts the scorer judged." })
  n!: number;
  @Field(() => Int, { description: "Seed of the held-out split and the draws." })
  seed!: number;
  @Field(() => String)
  promptVersion!: string;
  @Field(() => Int)
  truePositives!: number;
  @Field(() => Int)
  falseNegatives!: number;
  @Field(() => Int)
  trueNegatives!: number;
  @Field(() => Int)
  falsePositives!: number;
}

@ObjectType({ description: "A feature explanation written by a language model, with its scores." })
export class Explanation {
  @Field(() => ID)
  id!: string;
  @Field(() => String, { description: "The model's reply, trimmed, exactly as received: render it as text only." })
  text!: string;
  @Field(() => String)
  model!: string;
  @Field(() => String)
  promptVersion!: string;
  @Field(() => Int)
  seed!: number;
  @Field(() => [ExplanationScore])
  scores!: ExplanationScore[];
  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: "What two interacting features do together, written by a language model." })
export class PairExplanation {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  text!: string;
  @Field(() => String)
  model!: string;
  @Field(() => String)
  promptVersion!: string;
  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({
  description: "What chance looks like: one feature scored with another feature's explanation (newest per scorer).",
})
export class ExplanationBaseline {
  @Field(() => ExplainScorer)
  kind!: ExplainScorer;
  @Field(() => Float)
  value!: number;
  @Field(() => Int)
  n!: number;
  @Field(() => Int, { description: "The feature that was scored." })
  featureIndex!: number;
  @Field(() => Int, { description: "The feature whose explanation was used." })
  explanationFeatureIndex!: number;
  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: "What an explain run did with one feature." })
export class ExplainFeatureOutcome {
  @Field(() => Int)
  featureIndex!: number;
  @Field(() => String, { description: "explained, failed (with the API's message) or skipped (budget or cancel)." })
  status!: string;
  @Field(() => String, { nullable: true, description: "Why it failed or was skipped, or which scores are missing." })
  message!: string | null;
  @Field(() => Int, { description: "Input + output tokens its calls used." })
  tokens!: number;
}
