import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { proxyGraphqlRequest } from "./graphql-proxy";

let server: Server;
let upstream: string;
const seen: { method: string; contentType: string; body: string; authorization?: string }[] = [];

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
    seen.push({
      method: request.method ?? "",
      contentType: request.headers["content-type"] ?? "",
      body,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
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

test("the signed-in token goes along as Authorization; a cross-origin request is refused", async () => {
  const token = `ilc_${"a".repeat(43)}`;
  const request = new Request("http://dashboard/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: `other=1; interlace_token=${token}`,
      origin: "http://dashboard",
      host: "dashboard",
    },
    body: JSON.stringify({ query: "mutation { x }" }),
  });
  assert.equal((await proxyGraphqlRequest(request, upstream)).status, 200);
  assert.equal(seen.at(-1)?.authorization, `Bearer ${token}`);

  const before = seen.length;
  const forged = new Request("http://dashboard/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `interlace_token=${token}`, origin: "http://evil.example" },
    body: JSON.stringify({ query: "mutation { x }" }),
  });
  assert.equal((await proxyGraphqlRequest(forged, upstream)).status, 403);
  assert.equal(seen.length, before, "nothing was forwarded");
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
