import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  TypeInfo,
  type ValidationContext,
  type ValidationRule,
  validate,
  visit,
  visitWithTypeInfo,
} from "graphql";

/** The limits every request is held to; one place so the tests and the README quote the same numbers. */
export const LIMITS = {
  /** The largest `first` (or other list size) any field accepts; larger is refused, not clamped. */
  maxPage: 500,
  /** Counted as GraphQL Armor counts it: a top-level field is 1, each nested field +1, leaves included. */
  maxDepth: 12,
  /**
   * GraphQL Armor's cost (object 2, scalar 1, ×1.5 per level) with every list multiplied by its page size; sized so
   * that each dashboard query and a `features(first: 500)` page of a few scalars pass.
   */
  maxCost: 200_000,
  maxAliases: 20,
  /** Lexical tokens in one document (graphql-js stops parsing beyond them). */
  maxTokens: 5_000,
  /** Request body bytes (413 beyond). */
  maxBodyBytes: 1024 * 1024,
  /** Names users give things (studies, tokens). */
  maxNameLength: 200,
} as const;

function refuse(context: ValidationContext, message: string): void {
  context.reportError(new GraphQLError(message));
}

/** Depth and alias caps (GraphQL Armor) as validation rules, refusing with the limit and the measured value. */
export function limitRules(): ValidationRule[] {
  return [
    maxDepthRule({
      n: LIMITS.maxDepth,
      propagateOnRejection: false,
      onReject: [
        (context, error) =>
          refuse(
            context as ValidationContext,
            `${armorMessage(error)} Ask for fewer nested fields (the depth limit is ${LIMITS.maxDepth}).`,
          ),
      ],
    }),
    maxAliasesRule({
      n: LIMITS.maxAliases,
      propagateOnRejection: false,
      onReject: [
        (context, error) =>
          refuse(
            context as ValidationContext,
            `${armorMessage(error)} Send fewer aliased fields per request (at most ${LIMITS.maxAliases}).`,
          ),
      ],
    }),
  ];
}

/** Armor prefixes its messages with "Syntax Error: " although the query parsed; keep the rest. */
function armorMessage(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, "");
}

/** The integer a page-size argument takes: its literal, its variable's value or default, or the field's default. */
function pageSize(
  argument: ArgumentNode | undefined,
  fallback: unknown,
  variables: Record<string, unknown>,
  variableDefaults: Map<string, number>,
): number | undefined {
  if (argument === undefined) return typeof fallback === "number" ? fallback : undefined;
  const value = argument.value;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    if (typeof given === "number") return given;
    if (given === undefined || given === null)
      return variableDefaults.get(value.name.value) ?? (typeof fallback === "number" ? fallback : undefined);
  }
  return undefined;
}

/**
 * The document with every `first` argument written as the literal it will take (from the variables or the defaults),
 * so Armor's cost rule, which only reads literals, weighs each list by the page size actually asked for.
 */
function withLiteralPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  onSize: (field: string, size: number) => void = () => undefined,
): DocumentNode {
  const variableDefaults = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT)
        variableDefaults.set(variable.variable.name.value, Number.parseInt(variable.defaultValue.value, 10));
    }
  }
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode): FieldNode | undefined {
        const definition = typeInfo.getFieldDef()?.args.find((arg) => arg.name === "first");
        if (!definition) return undefined;
        const given = node.arguments?.find((arg) => arg.name.value === "first");
        const size = pageSize(given, definition.defaultValue, variables, variableDefaults);
        if (size === undefined || !Number.isFinite(size)) return undefined;
        onSize(node.name.value, size);
        const literal: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: "first" },
          value: { kind: Kind.INT, value: String(Math.max(1, Math.trunc(size))) },
        };
        return { ...node, arguments: [...(node.arguments ?? []).filter((arg) => arg !== given), literal] };
      },
    }),
  );
}

/** The cost of the costliest operation in `document` with these variables (GraphQL Armor's cost model). */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  return costOf(schema, withLiteralPageSizes(schema, document, variables));
}

function costOf(schema: GraphQLSchema, literalDocument: DocumentNode): number {
  let cost = 0;
  validate(schema, literalDocument, [
    costLimitRule({
      maxCost: Number.POSITIVE_INFINITY,
      onAccept: [(_context, { n }) => (cost = Math.max(cost, n))],
    }),
  ]);
  return cost;
}

/**
 * Refuses, before the query runs, a page size over LIMITS.maxPage (BAD_USER_INPUT, as the resolvers would) and then a
 * cost over the limit.
 */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): void {
  const literal = withLiteralPageSizes(schema, document, variables, (field, size) => {
    if (!Number.isInteger(size) || size < 0 || size > LIMITS.maxPage) {
      throw new GraphQLError(`first must be a whole number between 0 and ${LIMITS.maxPage} (got ${size}) on ${field}`, {
        extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
      });
    }
  });
  const cost = costOf(schema, literal);
  if (cost > LIMITS.maxCost) {
    throw new GraphQLError(
      `Query cost limit of ${LIMITS.maxCost} exceeded, found ${Math.round(cost)}: ask for smaller pages (first) or fewer nested lists.`,
      { extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } } },
    );
  }
}
