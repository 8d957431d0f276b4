import "reflect-metadata";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DocumentNode, type GraphQLSchema, Kind, parse, validate } from "graphql";
import { LIMITS, limitRules, queryCost } from "./limits.js";
import { buildGraphQLSchema } from "./schema.js";

const operationsDir = fileURLToPath(new URL("../../../../packages/schema/src/operations/", import.meta.url));

/** Every dashboard document: each operation file with the fragments of all files (codegen resolves them globally). */
function dashboardDocuments(): { file: string; document: DocumentNode }[] {
  const files = readdirSync(operationsDir).filter((name) => name.endsWith(".graphql"));
  const texts = files.map((file) => readFileSync(`${operationsDir}${file}`, "utf8"));
  const fragments = texts.flatMap((text) =>
    parse(text).definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
  );
  return files.flatMap((file, i) => {
    const operations = parse(texts[i] ?? "").definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    return operations.map((operation) => ({
      file: `${file} ${operation.name?.value ?? "anonymous"}`,
      document: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] } as DocumentNode,
    }));
  });
}

/** The largest variables the dashboard sends: every Int (page sizes, bins) at 50. */
function largestVariables(document: DocumentNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = variable.type.kind === Kind.NON_NULL_TYPE ? variable.type.type : variable.type;
      if (type.kind === Kind.NAMED_TYPE && type.name.value === "Int") variables[variable.variable.name.value] = 50;
    }
  }
  return variables;
}

let schema: GraphQLSchema;

before(async () => {
  schema = await buildGraphQLSchema();
});

function check(document: DocumentNode, variables: Record<string, unknown>) {
  return {
    limitErrors: validate(schema, document, limitRules()).map((error) => error.message),
    cost: queryCost(schema, document, variables),
  };
}

test("every dashboard operation passes the depth, alias and cost rules with pages of 50", async () => {
  const documents = dashboardDocuments();
  assert.ok(documents.length >= 6, `found ${documents.length} dashboard operations`);
  for (const { file, document } of documents) {
    const variables = largestVariables(document);
    const { limitErrors, cost } = check(document, variables);
    console.log(`${file}: cost ${Math.round(cost)} with ${JSON.stringify(variables)}`);
    assert.deepEqual(limitErrors, [], file);
    assert.ok(cost <= LIMITS.maxCost, `${file}: cost ${cost} over ${LIMITS.maxCost}`);
  }
});

test("a page of 50 features with every field and a page of 500 with a few scalars pass; a list in a list of 500 does not", async () => {
  const everyField = parse(`query($id: ID!) { study(id: $id) { features(first: 50) { totalCount
    pageInfo { hasNextPage endCursor } edges { cursor node { id studyId index density maxActivation
      examples(first: 10) { tokens values maxValue }
      interactionPartners(first: 10) { totalCount edges { cursor node { id strength coActivations
        partner { id index density maxActivation } } } } } } } } }`);
  const wide = parse(`{ study(id: "x") { features(first: 500) { edges { node { index density maxActivation } } } } }`);
  const nested = parse(`{ study(id: "x") { features(first: 500) { edges { node {
    interactionPartners(first: 500) { edges { node { strength } } } } } } } }`);
  for (const [name, document, passes] of [
    ["50 features, every field", everyField, true],
    ["500 features, 3 scalars", wide, true],
    ["500 × 500 partners", nested, false],
  ] as const) {
    const { limitErrors, cost } = check(document, {});
    console.log(`${name}: cost ${Math.round(cost)}, depth/alias errors ${limitErrors.length}`);
    assert.deepEqual(limitErrors, [], name);
    assert.equal(cost <= LIMITS.maxCost, passes, `${name}: cost ${cost}`);
  }
});

test("page sizes given by variables, by variable defaults and by argument defaults weigh the cost", async () => {
  const query = parse(`query($n: Int = 400) { study(id: "x") { features(first: $n) { totalCount } } }`);
  const byDefault = queryCost(schema, query, {});
  assert.equal(queryCost(schema, query, { n: 400 }), byDefault);
  assert.ok(queryCost(schema, query, { n: 4 }) * 50 < byDefault);
  const fieldDefault = queryCost(schema, parse(`{ study(id: "x") { features { totalCount } } }`), {});
  const explicit = queryCost(schema, parse(`{ study(id: "x") { features(first: 25) { totalCount } } }`), {});
  assert.equal(fieldDefault, explicit);
});
