import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { type DocumentNode, type GraphQLError, type GraphQLSchema, getOperationAST, parse, validate } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Sql } from "../db/sql.js";
import { authorizeOperation } from "../features/access/access.js";
import type { RateLimiter } from "../features/access/rate-limit.js";
import { authenticate, type Caller } from "../features/access/token.service.js";
import type { SteeringDeps } from "../features/steering/steering.service.js";
import { createContext } from "../graphql/context.js";
import { badUserInput } from "../graphql/errors.js";
import { checkQueryCost, LIMITS, limitRules } from "../graphql/limits.js";
import type { ServerConfig } from "./server.js";

type Extra = { caller?: Caller | { problem: string } };

/** Open subscriptions per server; more are refused so that polling cannot be multiplied without bound. */
export const MAX_SUBSCRIPTIONS = 200;

function authorizationOf(params: Record<string, unknown> | undefined, header: string | undefined): string | undefined {
  const given = params?.["authorization"] ?? params?.["Authorization"];
  return typeof given === "string" ? given : header;
}

/**
 * Serves GraphQL subscriptions (graphql-ws) on the HTTP server's /graphql: authenticated like queries (a bearer token
 * in connectionParams.authorization or the upgrade request's header), checked against the same limits and access
 * rule; only subscription operations are taken here.
 */
export function serveSubscriptions(options: {
  server: Server;
  schema: GraphQLSchema;
  sql: Sql;
  config: ServerConfig;
  limiter: RateLimiter;
  steering: SteeringDeps;
  log: (line: string) => void;
}): { close(): Promise<void> } {
  const { schema, sql, config } = options;
  const wss = new WebSocketServer({ server: options.server, path: "/graphql", maxPayload: LIMITS.maxBodyBytes });
  let open = 0;
  const cleanup = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const header = ctx.extra.request.headers.authorization;
        (ctx.extra as Extra).caller = await authenticate(sql, authorizationOf(ctx.connectionParams, header));
        return true;
      },
      context: (ctx) =>
        createContext(sql, {
          requestId: randomUUID(),
          caller: (ctx.extra as Extra).caller ?? { problem: "the connection was not authenticated" },
          client: ctx.extra.request.socket.remoteAddress ?? "unknown",
          runLimits: config,
          steering: options.steering,
        }),
      onSubscribe: (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: LIMITS.maxTokens });
        } catch (error) {
          return [badUserInput((error as Error).message)];
        }
        const errors = validate(schema, document, limitRules());
        if (errors.length > 0) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== "subscription") {
          return [badUserInput("only subscriptions are served over the WebSocket; send queries and mutations by POST")];
        }
        const caller = (ctx.extra as Extra).caller ?? { problem: "the connection was not authenticated" };
        try {
          const context = createContext(sql, {
            requestId: randomUUID(),
            caller,
            client: ctx.extra.request.socket.remoteAddress ?? "unknown",
            runLimits: config,
            steering: options.steering,
          });
          authorizeOperation(
            { reads: config.reads, limiter: options.limiter },
            schema,
            context,
            document,
            payload.operationName ?? null,
          );
        } catch (error) {
          return [error as GraphQLError];
        }
        if (open >= MAX_SUBSCRIPTIONS) return [badUserInput("too many open subscriptions; close some and try again")];
        try {
          checkQueryCost(schema, document, payload.variables ?? {});
        } catch (error) {
          return [error as GraphQLError];
        }
        return undefined;
      },
      onOperation: () => {
        open += 1;
        return undefined;
      },
      onComplete: () => {
        open = Math.max(0, open - 1);
      },
      onError: (_ctx, _id, _payload, errors) => {
        for (const error of errors) if (!error.extensions?.code) options.log(`subscription: ${error.message}`);
      },
    },
    wss,
  );
  return {
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
