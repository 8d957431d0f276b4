import { GraphQLScalarType } from "graphql";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";

export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  name: "DateTime",
  description: "An ISO-8601 date-time string.",
  specifiedByURL: null,
});

export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  name: "JSON",
  description: "Arbitrary JSON.",
  specifiedByURL: null,
});
