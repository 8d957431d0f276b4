import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap } from "@apollo/server";
import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
import { type Context, createContext } from "../graphql/context.js";
import { buildGraphQLSchema } from "../graphql/schema.js";
import { databaseAnswers } from "./health.js";

export interface StartServerOptions {
  config: Pick<Config, "port">;
  sql: Sql;
  /** Overrides config.port; 0 picks a free port. */
  port?: number;
  /** Interface to listen on (default: all). */
  host?: string;
}

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type, authorization, apollo-require-preflight",
  "access-control-max-age": "600",
};

/** Serves `POST /graphql` (Apollo Server) and `GET /healthz` (200 when the database answers, else 503), CORS open. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const apollo = new ApolloServer<Context>({ schema: await buildGraphQLSchema() });
  await apollo.start();

  const server = createServer((request, response) => {
    handle(apollo, options.sql, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain", ...CORS_HEADERS });
      response.end(`Internal error: ${(error as Error).message}\n`);
    });
  });
  const port = options.port ?? options.config.port;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actualPort}/graphql`,
    port: actualPort,
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

async function handle(apollo: ApolloServer<Context>, sql: Sql, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (request.method === "OPTIONS") {
    response.writeHead(204, CORS_HEADERS);
    response.end();
    return;
  }
  if (url.pathname === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
    const ok = await databaseAnswers(sql);
    response.writeHead(ok ? 200 : 503, { "content-type": "application/json", ...CORS_HEADERS });
    response.end(JSON.stringify({ status: ok ? "ok" : "database unavailable" }));
    return;
  }
  if (url.pathname !== "/graphql") {
    response.writeHead(404, { "content-type": "text/plain", ...CORS_HEADERS });
    response.end("Not found: the GraphQL endpoint is /graphql, the health check /healthz\n");
    return;
  }
  const body = await readBody(request);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  let parsed: unknown = body;
  if (request.method === "POST" && (headers.get("content-type") ?? "").includes("application/json")) {
    try {
      parsed = body === "" ? {} : JSON.parse(body);
    } catch {
      response.writeHead(400, { "content-type": "text/plain", ...CORS_HEADERS });
      response.end('The request body is not valid JSON; send {"query": "...", "variables": {...}}\n');
      return;
    }
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search: url.search, body: parsed },
    context: async () => createContext(sql),
  });
  const outHeaders: Record<string, string> = { ...CORS_HEADERS };
  for (const [key, value] of result.headers) outHeaders[key] = value;
  response.writeHead(result.status ?? 200, outHeaders);
  if (result.body.kind === "complete") {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
