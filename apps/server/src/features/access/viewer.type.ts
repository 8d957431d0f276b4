import "reflect-metadata";
import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "The holder of the token the request carries." })
export class Viewer {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "analyst or admin" })
  role!: string;
}
