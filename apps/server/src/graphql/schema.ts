import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { AccessResolver } from "../features/access/access.resolver.js";
import {
  ExplainResolver,
  FeatureExplanationResolver,
  RunExplanationResolver,
  StudyExplanationResolver,
} from "../features/explanation/explanation.resolver.js";
import { FeatureResolver } from "../features/feature/feature.resolver.js";
import { InteractionPairResolver } from "../features/interaction/interaction.resolver.js";
import { KDimensionResolver } from "../features/nfm/k-dimension.resolver.js";
import { RunResolver } from "../features/run/run.resolver.js";
import { SteeringResolver } from "../features/steering/steering.resolver.js";
import { StimulusResolver, StudyStimulusResolver } from "../features/stimulus/stimulus.resolver.js";
import { StudyResolver } from "../features/study/study.resolver.js";

/** Where the committed contract lives: packages/schema/schema.graphql. */
export const schemaFile = fileURLToPath(new URL("../../../../packages/schema/schema.graphql", import.meta.url));

const HEADER =
  "# The GraphQL contract, emitted by apps/server from its type-graphql classes (`npm run emit-schema -w @interlace/server`).\n" +
  "# Do not edit by hand: change the server's types and emit again; a server test fails when this file drifts.\n\n";

let built: Promise<GraphQLSchema> | undefined;

/**
 * Every subscription reads its data itself (its `subscribe` option, e.g. runProgress reading the runs table that
 * every worker process writes); type-graphql still asks for a PubSub, and this one says topics are not used.
 */
const noTopics: PubSub = {
  publish: (topic) => {
    throw new Error(`no subscription listens to topic ${topic}: subscriptions here give their own \`subscribe\``);
  },
  subscribe: (topic) => {
    throw new Error(`no subscription listens to topic ${topic}: subscriptions here give their own \`subscribe\``);
  },
};

/** The executable schema (built once per process). */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      StudyResolver,
      FeatureResolver,
      InteractionPairResolver,
      KDimensionResolver,
      RunResolver,
      AccessResolver,
      StimulusResolver,
      StudyStimulusResolver,
      SteeringResolver,
      FeatureExplanationResolver,
      StudyExplanationResolver,
      RunExplanationResolver,
      ExplainResolver,
    ],
    validate: false,
    emitSchemaFile: false,
    pubSub: noTopics,
  });
  return built;
}

/** The SDL text of the schema as committed: sorted, with a header. */
export async function printContract(): Promise<string> {
  return HEADER + printSchema(lexicographicSortSchema(await buildGraphQLSchema()));
}

/** Writes packages/schema/schema.graphql (or `path`) from the code; returns the path written. */
export async function emitSchema(path: string = schemaFile): Promise<string> {
  await writeFile(path, await printContract());
  return path;
}
