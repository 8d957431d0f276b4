// Typed GraphQL documents and result types for the dashboard, generated from schema.graphql by `npm run codegen`.
export * from "./generated/graphql.js";
