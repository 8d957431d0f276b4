import { GraphQLError } from "graphql";

/** A client error (HTTP 200 with `extensions.code = BAD_USER_INPUT`) whose message names the input and the fix. */
export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_FOUND" } });
}

/** Checks a list-size argument such as `first`. */
export function checkCount(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badUserInput(`${name} must be a whole number between 0 and ${max} (got ${value})`);
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (lookups answer null instead of a database error). */
export function isId(value: string): boolean {
  return UUID.test(value);
}
