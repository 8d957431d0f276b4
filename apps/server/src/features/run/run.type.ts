import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars.js";

export enum RunStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(RunStatus, { name: "RunStatus" });

@ObjectType()
export class Run {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Float, { description: "0..1" })
  progress!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true, description: "What the run is doing now, e.g. harvest, SAE step, train-lm." })
  stage!: string | null;

  @Field(() => [String], { description: "The run's newest messages, oldest first (at most 50)." })
  log!: string[];

  @Field(() => Int, { description: "How many times a worker took the run (more than 1 after a worker stopped)." })
  attempts!: number;

  @Field(() => String, { nullable: true, description: "Why the run failed, as the worker stated it." })
  error!: string | null;

  @Field(() => JSONScalar)
  params!: Record<string, unknown>;

  @Field(() => ID, { nullable: true })
  studyId!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}
