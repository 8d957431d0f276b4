import {
  type DocumentNode,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { ReadAccess } from "../../config.js";
import type { Context } from "../../graphql/context.js";
import { forbidden, tooManyRequests, unauthenticated } from "../../graphql/errors.js";
import type { RateLimiter } from "./rate-limit.js";
import { isRole, type Role, roleAllows } from "./role.js";

/** The GraphQL field extension that names the role a mutation needs: `@Extensions({ role: "analyst" })`. */
export const ROLE_EXTENSION = "role";

/** The GraphQL field extension of a query rate-limited like the mutations: `@Extensions({ rateLimited: true })`. */
export const RATE_LIMIT_EXTENSION = "rateLimited";

/** Mutations that declare no role need an admin. */
const DEFAULT_MUTATION_ROLE: Role = "admin";

function topLevelFields(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      names.push(...topLevelFields(selection.selectionSet, document, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION)
        names.push(...topLevelFields(fragment.selectionSet, document, seen));
    }
  }
  return names;
}

/** The strongest role any top-level field of a mutation needs. */
function neededRole(schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode): Role {
  const fields = schema.getMutationType()?.getFields() ?? {};
  let needed: Role = "analyst";
  for (const name of topLevelFields(operation.selectionSet, document)) {
    if (name === "__typename") continue;
    const declared = fields[name]?.extensions?.[ROLE_EXTENSION];
    const role = typeof declared === "string" && isRole(declared) ? declared : DEFAULT_MUTATION_ROLE;
    if (!roleAllows(needed, role)) needed = role;
  }
  return needed;
}

/** Whether a top-level field of the query is declared rate-limited. */
function isRateLimitedQuery(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
): boolean {
  const fields = schema.getQueryType()?.getFields() ?? {};
  return topLevelFields(operation.selectionSet, document).some(
    (name) => fields[name]?.extensions?.[RATE_LIMIT_EXTENSION] === true,
  );
}

/**
 * Decides whether the caller may run the operation, before its arguments are looked at: mutations need a token of
 * the role their fields declare (and are rate-limited per token); reads need one when reads are `token`; queries of
 * rate-limited fields are rate-limited per token, or per client address without a token.
 */
export function authorizeOperation(
  options: { reads: ReadAccess; limiter: RateLimiter },
  schema: GraphQLSchema,
  context: Context,
  document: DocumentNode,
  operationName: string | null,
): void {
  const operation = getOperationAST(document, operationName);
  if (!operation) return;
  const caller = "problem" in context.caller ? undefined : context.caller;
  const problem = "problem" in context.caller ? context.caller.problem : "";
  if (operation.operation !== "mutation") {
    if (options.reads === "token" && !caller)
      throw unauthenticated(`Reading this server needs a token, and ${problem}`);
    if (operation.operation === "query" && isRateLimitedQuery(schema, operation, document)) {
      const wait = options.limiter.take(caller ? caller.tokenId : `client ${context.client}`);
      if (wait > 0) throw tooManyRequests(`Too many requests for this reading; try again in ${wait} s`);
    }
    return;
  }
  if (!caller) throw unauthenticated(`Changes need a token, and ${problem}`);
  const role = neededRole(schema, operation, document);
  if (!roleAllows(caller.role, role)) {
    throw forbidden(`This needs a token with role ${role}; the token "${caller.name}" has role ${caller.role}`);
  }
  const wait = options.limiter.take(caller.tokenId);
  if (wait > 0) throw tooManyRequests(`Too many changes with this token; try again in ${wait} s`);
}
