// Typed GraphQL documents and result types for the dashboard, generated from schema.graphql by `npm run codegen`.
// Re-exported through the package's own "./generated" entry: Next's bundler does not map a relative ".js" import to
// its ".ts" source, while the nodenext typecheck needs an extension on every relative import.
export * from "@interlace/schema/generated";
