import "reflect-metadata";
import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
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

  @Field(() => String, { nullable: true })
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
