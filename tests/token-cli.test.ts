import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { exited, freePort, runCli, startCli } from "./support/cli.js";

const home = mkdtempSync(join(tmpdir(), "interlace-tokens-"));
const env = { INTERLACE_HOME: home };
let graphqlUrl = "";
let stopServe: (() => Promise<number | null>) | undefined;

before(async () => {
  const port = await freePort();
  const { child } = await startCli(
    ["serve", "--no-worker"],
    { ...env, PORT: String(port) },
    /Interlace GraphQL: (\S+)/,
    120_000,
  );
  graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  stopServe = async () => {
    child.kill("SIGINT");
    return exited(child);
  };
});

after(async () => {
  if (stopServe) assert.equal(await stopServe(), 0, "interlace serve did not stop cleanly on Ctrl-C");
  rmSync(home, { recursive: true, force: true });
});

async function cancelMissingRun(token: string | undefined): Promise<string | undefined> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: `mutation { cancelRun(id: "00000000-0000-0000-0000-000000000000") { id } }` }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return body.errors?.[0]?.extensions?.code;
}

test("token create prints the token alone on its last line; list shows it by id; revoke refuses it at once", async () => {
  const created = await runCli(["token", "create", "--role", "analyst", "--name", "ci runner"], env);
  assert.equal(created.code, 0, created.stderr);
  const lines = created.stdout.trimEnd().split("\n");
  const token = lines.at(-1) ?? "";
  assert.match(token, /^[A-Za-z0-9_-]{32,}$/);
  assert.doesNotMatch(created.stderr, new RegExp(token));

  assert.equal(await cancelMissingRun(undefined), "UNAUTHENTICATED");
  assert.equal(await cancelMissingRun(token), "NOT_FOUND");

  const listed = await runCli(["token", "list"], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.doesNotMatch(listed.stdout, new RegExp(token), "the list never shows a token");
  const row = listed.stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.split("\t"))
    .find((columns) => columns[1] === "ci runner");
  assert.ok(row, listed.stdout);
  const [id, , role, createdAt, lastUsed] = row;
  assert.match(id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(role, "analyst");
  assert.ok(!Number.isNaN(Date.parse(createdAt ?? "")));
  assert.ok(!Number.isNaN(Date.parse(lastUsed ?? "")), "used once above");

  const revoked = await runCli(["token", "revoke", id ?? ""], env);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(await cancelMissingRun(token), "UNAUTHENTICATED");
  assert.equal((await fetch(graphqlUrl.replace("/graphql", "/healthz"))).status, 200);
});

test("bad token commands name the fix and exit 2", async () => {
  const role = await runCli(["token", "create", "--role", "root", "--name", "x"], env);
  assert.equal(role.code, 2);
  assert.match(role.stderr, /--role must be one of analyst, admin \(got "root"\)/);
  const name = await runCli(["token", "create", "--role", "admin", "--name", "n".repeat(201)], env);
  assert.equal(name.code, 2);
  assert.match(name.stderr, /--name is 201 characters long; use at most 200/);
  const missing = await runCli(["token", "revoke", "00000000-0000-0000-0000-000000000000"], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No token has id .*interlace token list/);
});
