import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents for the dashboard, generated from the committed contract and the operations in src/operations.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/operations/*.graphql"],
  importExtension: ".js",
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
