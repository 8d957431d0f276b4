import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { proxyGraphqlRequest } from "./graphql-proxy";

let server: Server;
let upstream: string;
const seen: { method: string; contentType: string; body: string }[] = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => resolve(text));
  });
}

before(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    seen.push({ method: request.method ?? "", contentType: request.headers["content-type"] ?? "", body });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ data: { echo: JSON.parse(body).query } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the proxy forwards the POST body and returns the server's answer", async () => {
  const request = new Request("http://dashboard/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ studies { id } }" }),
  });
  const response = await proxyGraphqlRequest(request, upstream);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { data: { echo: "{ studies { id } }" } });
  assert.deepEqual(seen.at(-1), {
    method: "POST",
    contentType: "application/json",
    body: JSON.stringify({ query: "{ studies { id } }" }),
  });
});

test("an unreachable server becomes a 502 with a GraphQL error that says how to start it", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const request = new Request("http://dashboard/graphql", { method: "POST", body: "{}" });
  const response = await proxyGraphqlRequest(request, deadUrl);
  assert.equal(response.status, 502);
  const payload = (await response.json()) as { errors: { message: string }[] };
  assert.match(payload.errors[0]?.message ?? "", new RegExp(`Cannot reach the Interlace server at ${deadUrl}`));
});
