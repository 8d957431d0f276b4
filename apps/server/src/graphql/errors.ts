import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { LIMITS } from "./limits.js";

/** A client error (HTTP 200 with `extensions.code = BAD_USER_INPUT`) whose message names the input and the fix. */
export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_FOUND" } });
}

/** No token, or one the server does not know (never issued, or revoked). */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/** A known token whose role does not allow the operation. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
}

/** Stored data the server cannot read (e.g. a damaged report); the message names what is wrong and the fix. */
export function damagedData(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "DAMAGED_DATA" } });
}

/** Work that ran past its time limit; the message says how to ask for less. */
export function timedOut(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "TIMEOUT" } });
}

/** A feature the server offers only when configured (e.g. explaining without ANTHROPIC_API_KEY). */
export function notConfigured(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_CONFIGURED" } });
}

export function tooManyRequests(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "TOO_MANY_REQUESTS", http: { status: 429 } } });
}

/** Checks a list-size argument such as `first` (at most LIMITS.maxPage unless `max` is smaller). */
export function checkCount(name: string, value: number, max: number = LIMITS.maxPage): number {
  const limit = Math.min(max, LIMITS.maxPage);
  if (!Number.isInteger(value) || value < 0 || value > limit) {
    throw badUserInput(`${name} must be a whole number between 0 and ${limit} (got ${value})`);
  }
  return value;
}

/** Checks a whole-number argument against its bounds, naming it. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`${name} must be a whole number between ${min} and ${max} (got ${value})`);
  }
  return value;
}

/** A name a user gives something: trimmed, not empty, at most LIMITS.maxNameLength characters. */
export function checkName(name: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badUserInput(`${name} is empty; give it a name`);
  if (trimmed.length > LIMITS.maxNameLength) {
    throw badUserInput(`${name} is ${trimmed.length} characters long; use at most ${LIMITS.maxNameLength}`);
  }
  return trimmed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (lookups answer null instead of a database error). */
export function isId(value: string): boolean {
  return UUID.test(value);
}

/** Codes whose messages are written for the client; anything else is an internal error. */
const CLIENT_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "TOO_MANY_REQUESTS",
  "TIMEOUT",
  "DAMAGED_DATA",
  "NOT_CONFIGURED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

export function isClientCode(code: string): boolean {
  return CLIENT_CODES.has(code);
}

export const INTERNAL_ERROR_MESSAGE = "Internal server error";

/** What the client sees of an internal error: only the id the server log files it under. */
export function internalErrorMessage(requestId: string): string {
  return `${INTERNAL_ERROR_MESSAGE} (request id ${requestId}); the server log has the details under this id`;
}

/** An internal error already logged under `requestId`, as the client may see it. */
export function internalError(requestId: string): GraphQLError {
  return new GraphQLError(internalErrorMessage(requestId), {
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId, http: { status: 500 } },
  });
}

/**
 * Apollo's formatError outside development: client errors keep their message, code, locations and path (no stack);
 * anything else becomes INTERNAL_SERVER_ERROR with a fixed message (the request id is added when the response is sent,
 * and the full error is logged under it).
 */
export function formatClientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === "string" && isClientCode(code)) {
    return {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code },
    };
  }
  const requestId = formatted.extensions?.requestId;
  return {
    message: typeof requestId === "string" ? internalErrorMessage(requestId) : INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(typeof requestId === "string" ? { requestId } : {}) },
  };
}
