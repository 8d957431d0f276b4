import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { isCrossOrigin, SESSION_COOKIE, signIn, signOut, tokenFromCookies } from "./session";

const good = `ilc_${"g".repeat(43)}`;
let server: Server;
let upstream: string;

before(async () => {
  server = createServer((request, response) => {
    const known = request.headers.authorization === `Bearer ${good}`;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ data: { viewer: known ? { name: "alice", role: "analyst" } : null } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("http://dash/session", {
    method: "POST",
    headers: { "content-type": "application/json", host: "dash", ...headers },
    body: JSON.stringify(body),
  });
}

test("the token is read from the cookie only when it has a token's form", () => {
  assert.equal(tokenFromCookies(`a=1; ${SESSION_COOKIE}=${good}`), good);
  assert.equal(tokenFromCookies(`${SESSION_COOKIE}=short`), undefined);
  assert.equal(tokenFromCookies(null), undefined);
});

test("a request is cross-origin when its Origin names another host", () => {
  const from = (origin?: string) =>
    new Request("http://dash/x", { headers: { host: "dash", ...(origin ? { origin } : {}) } });
  assert.equal(isCrossOrigin(from()), false);
  assert.equal(isCrossOrigin(from("http://dash")), false);
  assert.equal(isCrossOrigin(from("http://127.0.0.1:9999")), true);
});

test("signing in checks the token with the server, then keeps it in an httpOnly, SameSite=Strict cookie", async () => {
  const response = await signIn(post({ token: good }), upstream);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { name: "alice", role: "analyst" });
  const cookie = response.headers.get("set-cookie") ?? "";
  assert.match(cookie, new RegExp(`^${SESSION_COOKIE}=${good}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`));
  const out = signOut(new Request("http://dash/session", { method: "DELETE", headers: { host: "dash" } }));
  assert.equal(out.status, 204);
  assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/);
});

test("an unknown, malformed or cross-site sign-in is refused with the reason and sets no cookie", async () => {
  for (const [request, status, reason] of [
    [post({ token: `ilc_${"u".repeat(43)}` }), 401, /does not know this token/],
    [post({ token: "not a token" }), 400, /not a token: paste the last line/],
    [post({ token: good }, { origin: "http://evil.example" }), 403, /from the dashboard itself/],
  ] as const) {
    const response = await signIn(request, upstream);
    assert.equal(response.status, status);
    assert.match(((await response.json()) as { error: string }).error, reason);
    assert.equal(response.headers.get("set-cookie"), null);
  }
});
