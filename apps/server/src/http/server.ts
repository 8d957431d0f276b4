import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { StudyReader } from "@interlace/compute/steering";
import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
import { authorizeOperation } from "../features/access/access.js";
import { RateLimiter } from "../features/access/rate-limit.js";
import { authenticate } from "../features/access/token.service.js";
import type { SteeringDeps } from "../features/steering/steering.service.js";
import { type Context, createContext } from "../graphql/context.js";
import { formatClientError, internalError, internalErrorMessage } from "../graphql/errors.js";
import { guardPlugin } from "../graphql/guard-plugin.js";
import { LIMITS, limitRules } from "../graphql/limits.js";
import { buildGraphQLSchema } from "../graphql/schema.js";
import { databaseAnswers } from "./health.js";
import { serveSubscriptions } from "./subscriptions.js";

/** What the HTTP server needs of the configuration. */
export type ServerConfig = Pick<
  Config,
  | "port"
  | "host"
  | "development"
  | "reads"
  | "corsOrigins"
  | "modelRoots"
  | "maxRunTokens"
  | "mutationsPerMinute"
  | "home"
  | "hub"
  | "backend"
  | "studyCacheSize"
  | "steerTimeoutMs"
  | "explain"
>;

export interface StartServerOptions {
  config: ServerConfig;
  sql: Sql;
  /** Overrides config.port; 0 picks a free port. */
  port?: number;
  /** Where internal errors are logged in full, under their request id (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** CORS headers for a request from `origin`: only the configured dashboard origins are allowed. */
function corsHeaders(config: ServerConfig, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !config.corsOrigins.includes(origin)) return { vary: "origin" };
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "content-type, authorization, apollo-require-preflight",
    "access-control-max-age": "600",
    vary: "origin",
  };
}

class BodyTooLarge extends Error {}

/**
 * Serves `POST /graphql` (Apollo Server), subscriptions over graphql-ws on the same path, and `GET /healthz` (200 when the database answers, else 503) on
 * config.host: query limits, access checks and errors that leak nothing (see graphql/guard-plugin.ts).
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const limiter = new RateLimiter(config.mutationsPerMinute);
  const schema = await buildGraphQLSchema();
  const reader = new StudyReader({
    backend: config.backend,
    cacheSize: config.studyCacheSize,
    timeoutMs: config.steerTimeoutMs,
  });
  const steering: SteeringDeps = { reader, home: config.home, hub: config.hub };
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: limitRules(),
    parseOptions: { maxTokens: LIMITS.maxTokens },
    includeStacktraceInErrorResponses: config.development,
    hideSchemaDetailsFromClientErrors: !config.development,
    formatError: config.development ? undefined : formatClientError,
    plugins: [
      guardPlugin({
        log,
        development: config.development,
        authorize: async (context, document, operationName) =>
          authorizeOperation({ reads: config.reads, limiter }, schema, context, document, operationName),
      }),
    ],
  });
  await apollo.start();

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    handle({ apollo, options, requestId, log, steering }, request, response).catch((error: unknown) => {
      log(`request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(`${internalErrorMessage(requestId)}\n`);
    });
  });
  const subscriptions = serveSubscriptions({ server, schema, sql: options.sql, config, limiter, steering, log });
  const port = options.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const urlHost = host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost}:${address.port}/graphql`,
    port: address.port,
    close: async () => {
      await subscriptions.close();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await reader.close();
    },
  };
}

interface Handling {
  apollo: ApolloServer<Context>;
  options: StartServerOptions;
  requestId: string;
  log: (line: string) => void;
  steering: SteeringDeps;
}

async function handle(
  { apollo, options, requestId, log, steering }: Handling,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const { config, sql } = options;
  const url = new URL(request.url ?? "/", "http://localhost");
  const cors = { ...corsHeaders(config, request.headers.origin), "x-request-id": requestId };
  if (request.method === "OPTIONS") {
    response.writeHead(204, cors);
    response.end();
    return;
  }
  if (url.pathname === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
    const ok = await databaseAnswers(sql);
    response.writeHead(ok ? 200 : 503, { "content-type": "application/json", ...cors });
    response.end(JSON.stringify({ status: ok ? "ok" : "database unavailable" }));
    return;
  }
  if (url.pathname !== "/graphql") {
    response.writeHead(404, { "content-type": "text/plain", ...cors });
    response.end("Not found: the GraphQL endpoint is /graphql, the health check /healthz\n");
    return;
  }
  let body: string;
  try {
    body = await readBody(request, LIMITS.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    response.writeHead(413, { "content-type": "text/plain", connection: "close", ...cors });
    response.end(`The request body is larger than ${LIMITS.maxBodyBytes} bytes; send a smaller request\n`);
    request.resume();
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  let parsed: unknown = body;
  if (request.method === "POST" && (headers.get("content-type") ?? "").includes("application/json")) {
    try {
      parsed = body === "" ? {} : JSON.parse(body);
    } catch {
      response.writeHead(400, { "content-type": "text/plain", ...cors });
      response.end('The request body is not valid JSON; send {"query": "...", "variables": {...}}\n');
      return;
    }
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search: url.search, body: parsed },
    context: async () => {
      const caller = await authenticate(sql, request.headers.authorization).catch((error: unknown) => {
        log(`request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        throw internalError(requestId);
      });
      const client = request.socket.remoteAddress ?? "unknown";
      return createContext(sql, { requestId, caller, client, runLimits: config, steering });
    },
  });
  const outHeaders: Record<string, string> = { ...cors };
  for (const [key, value] of result.headers) outHeaders[key] = value;
  response.writeHead(result.status ?? 200, outHeaders);
  if (result.body.kind === "complete") {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/** The body as text; throws BodyTooLarge as soon as it is longer than `maxBytes` (declared or received). */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    length += (chunk as Buffer).length;
    if (length > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
