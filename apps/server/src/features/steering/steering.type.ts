import "reflect-metadata";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

@InputType({ description: "One feature's edit at the study's hook, at every position of prompt and new tokens." })
export class SteerFeatureInput {
  @Field(() => Int, { description: "The feature's SAE index." })
  index!: number;

  @Field(() => String, {
    description: "add: x += value·W_dec[index]; clamp: the feature's code set to value (SAE error term kept).",
  })
  mode!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "A continuation: its text and each new token's surface string." })
export class GeneratedText {
  @Field(() => String)
  text!: string;

  @Field(() => [String])
  tokens!: string[];

  @Field(() => [Int])
  tokenIds!: number[];

  @Field(() => String, { description: "eos, max_tokens or context." })
  stopReason!: string;
}

@ObjectType()
export class SteerResult {
  @Field(() => ID)
  studyId!: string;

  @Field(() => String, { description: "The hook steered (the study's SAE hook)." })
  hook!: string;

  @Field(() => [String], { description: "The prompt's tokens." })
  promptTokens!: string[];

  @Field(() => GeneratedText, { description: "The unsteered continuation (same seed)." })
  baseline!: GeneratedText;

  @Field(() => GeneratedText)
  steered!: GeneratedText;

  @Field(() => [Float], {
    description: "Per steered token: log p_steered − log p_unsteered of that token, both given the steered prefix.",
  })
  logProbDiff!: number[];

  @Field(() => Boolean, { description: "Whether the study's model, SAE and NFM were loaded for this request." })
  coldStart!: boolean;

  @Field(() => Float, { description: "Milliseconds the request took on the server, loading included." })
  elapsedMs!: number;
}

@ObjectType()
export class ActiveFeature {
  @Field(() => Int)
  index!: number;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "A feature pair's contribution at one token (the NFM output change removing its term)." })
export class TokenPair {
  @Field(() => Int)
  a!: number;

  @Field(() => Int)
  b!: number;

  @Field(() => Float)
  contribution!: number;
}

@ObjectType()
export class TokenReading {
  @Field(() => Int)
  id!: number;

  @Field(() => String)
  token!: string;

  @Field(() => [ActiveFeature], { description: "The most active features, largest first." })
  features!: ActiveFeature[];

  @Field(() => Float, { description: "‖x − SAE(x)‖ at this token." })
  errorNorm!: number;

  @Field(() => Float, {
    nullable: true,
    description: "‖the NFM's interaction output‖ at this token; null when the study kept no NFM.",
  })
  interactionNorm!: number | null;

  @Field(() => [TokenPair], { description: "The pairs contributing most at this token, largest first." })
  pairs!: TokenPair[];
}

@ObjectType()
export class TextReading {
  @Field(() => ID)
  studyId!: string;

  @Field(() => String)
  hook!: string;

  @Field(() => [TokenReading])
  tokens!: TokenReading[];

  @Field(() => Boolean, { description: "Whether the study's model, SAE and NFM were loaded for this request." })
  coldStart!: boolean;

  @Field(() => Float, { description: "Milliseconds the request took on the server, loading included." })
  elapsedMs!: number;
}
