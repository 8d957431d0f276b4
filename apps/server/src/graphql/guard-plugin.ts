import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { type DocumentNode, type GraphQLError, Kind, visit } from "graphql";
import type { Context } from "./context.js";
import { badUserInput, internalErrorMessage, isClientCode } from "./errors.js";
import { checkQueryCost } from "./limits.js";

/** The path of the first string holding a NUL character, e.g. `$input.name`, or undefined. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\0") ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function documentHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes("\0")) found = true;
    },
  });
  return found;
}

/** Refuses NUL characters in any string argument (Postgres cannot store them in text). */
function checkNoNul(document: DocumentNode, variables: Record<string, unknown>): void {
  const inVariable = nulPath(variables, "$");
  if (inVariable !== undefined || documentHasNul(document)) {
    const where = inVariable ? `the variable ${inVariable.replace(/^\$\./, "$")}` : "a string argument";
    throw badUserInput(`${where} contains a NUL character (\\0); remove it`);
  }
}

/** False for errors raised on purpose for the client (they carry a client code); true for anything else. */
function isInternal(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return !(typeof code === "string" && isClientCode(code));
}

/**
 * Before an operation runs: access (see `authorize`), NUL characters and the query cost. Afterwards: every internal
 * error is logged in full under the request id, and the client sees only that id.
 */
export function guardPlugin(options: {
  log: (line: string) => void;
  development: boolean;
  authorize: (context: Context, document: DocumentNode, operationName: string | null) => Promise<void>;
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, request, schema, operationName }) {
          await options.authorize(contextValue, document, operationName ?? null);
          const variables = request.variables ?? {};
          checkNoNul(document, variables);
          checkQueryCost(schema, document, variables);
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (!isInternal(error)) continue;
            const original = unwrapResolverError(error);
            const detail = original instanceof Error ? (original.stack ?? original.message) : String(original);
            options.log(`request ${contextValue.requestId}: ${detail}`);
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (options.development || response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (!errors) return;
          response.body.singleResult.errors = errors.map((error) =>
            error.extensions?.code === "INTERNAL_SERVER_ERROR"
              ? {
                  ...error,
                  message: internalErrorMessage(contextValue.requestId),
                  extensions: { code: "INTERNAL_SERVER_ERROR", requestId: contextValue.requestId },
                }
              : error,
          );
        },
      };
    },
  };
}
