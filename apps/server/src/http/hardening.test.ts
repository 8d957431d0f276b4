import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import postgres from "postgres";
import { migrate } from "../db/migrate.js";
import { revokeToken } from "../features/access/token.service.js";
import { saveStudy } from "../features/study/study.repository.js";
import { LIMITS } from "../graphql/limits.js";
import { data, gql } from "../testing/graphql-request.js";
import { sampleStudy } from "../testing/sample-study.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { testServerConfig, testToken } from "../testing/test-server.js";
import { type RunningServer, startServer } from "./server.js";

/** Posts `body` in pieces, declaring `declaredLength` when given (else chunked); resolves with the status. */
function postRaw(url: string, pieces: Iterable<Buffer>, declaredLength?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json" };
    if (declaredLength !== undefined) headers["content-length"] = declaredLength;
    const req = httpRequest(url, { method: "POST", headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (error) => {
      if (!req.destroyed) reject(error);
    });
    const write = async () => {
      for (const piece of pieces) {
        if (req.destroyed) return;
        if (!req.write(piece)) await new Promise((done) => req.once("drain", done));
      }
      if (!req.destroyed) req.end();
    };
    write().catch(() => undefined);
  });
}

function* repeated(piece: Buffer, times: number): Generator<Buffer> {
  for (let i = 0; i < times; i++) yield piece;
}

const RUN = `mutation($input: StudyRunInput!) { requestStudyRun(input: $input) { id params } }`;

describeOnEachDatabase("server hardening: each probe is refused and the server stays healthy", (database) => {
  let server: RunningServer;
  let studyId: string;
  let analyst: string;
  let admin: string;
  const logged: string[] = [];
  const modelRoot = mkdtempSync(join(tmpdir(), "interlace-models-"));
  const outside = mkdtempSync(join(tmpdir(), "interlace-outside-"));

  before(async () => {
    const { sql } = database();
    await migrate(sql);
    studyId = await saveStudy(sql, sampleStudy({ name: "hardening study", features: 10 }));
    analyst = await testToken(sql, "analyst");
    admin = await testToken(sql, "admin");
    mkdirSync(join(modelRoot, "tiny-gpt2"));
    writeFileSync(join(modelRoot, "tiny-gpt2", "config.json"), JSON.stringify({ n_layer: 4 }));
    mkdirSync(join(outside, "model"));
    writeFileSync(join(outside, "model", "config.json"), JSON.stringify({ n_layer: 4 }));
    server = await startServer({
      config: testServerConfig({ modelRoots: [modelRoot], maxRunTokens: 100_000 }),
      sql,
      port: 0,
      log: (line) => logged.push(line),
    });
  });

  after(async () => {
    await server?.close();
    rmSync(modelRoot, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  /** `/healthz` answers 200 and the next query answers (its time is logged for the record, not asserted). */
  async function assertHealthy(): Promise<void> {
    const health = await fetch(server.url.replace("/graphql", "/healthz"));
    assert.equal(health.status, 200);
    const started = performance.now();
    const next = await data<{ studies: { id: string }[] }>(server.url, "{ studies(first: 5) { id } }");
    console.log(`healthz 200; next query answered in ${(performance.now() - started).toFixed(1)} ms`);
    assert.ok(next.studies.some((study) => study.id === studyId));
  }

  function input(overrides: Record<string, unknown> = {}) {
    return { input: { name: "probe", model: "tiny-gpt2", layer: 1, ...overrides } };
  }

  test("the server listens on loopback only unless HOST says otherwise", async () => {
    assert.equal(new URL(server.url).hostname, "127.0.0.1");
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal);
    if (external) {
      const port = new URL(server.url).port;
      await assert.rejects(fetch(`http://${external.address}:${port}/healthz`));
    }
    await assertHealthy();
  });

  test("a list nested in a list is refused for its cost before it runs, with the limit and the cost", async () => {
    const nested = (first: string) => `{ feature(studyId: "${studyId}", index: 0) {
      interactionPartners(first: ${first}) { edges { node { partner {
        interactionPartners(first: ${first}) { edges { node { strength } } } } } } } } }`;
    const literal = await gql(server.url, nested("500"));
    const message = literal.errors?.[0]?.message ?? "";
    assert.match(message, new RegExp(`cost limit of ${LIMITS.maxCost} exceeded, found \\d+`));
    assert.equal(literal.data, undefined);
    const viaVariables = await gql(
      server.url,
      nested("$n").replace("{ feature", "query($n: Int) { feature").replace(/^\{ /, ""),
      { n: 500 },
    );
    assert.match(viaVariables.errors?.[0]?.message ?? "", /cost limit of \d+ exceeded/);
    const small = await gql(server.url, nested("3"));
    assert.equal(small.errors, undefined, JSON.stringify(small.errors));
    await assertHealthy();
  });

  test("the reported 4-level partner query, 30-level nesting and 500 aliases are refused", async () => {
    let level = "strength";
    for (let i = 0; i < 4; i++) level = `interactionPartners(first: 500) { edges { node { partner { ${level} } } } }`;
    const query = `{ feature(studyId: "${studyId}", index: 0) { ${level} } }`;
    const started = performance.now();
    const probe = await gql(server.url, query);
    console.log(`${query.length}-byte partner probe refused in ${(performance.now() - started).toFixed(1)} ms`);
    assert.match(
      probe.errors?.[0]?.message ?? "",
      new RegExp(`depth limit of ${LIMITS.maxDepth} exceeded, found \\d+`),
    );

    let deep = "index";
    for (let i = 0; i < 15; i++) deep = `partner { a { ${deep} } }`;
    const nested = await gql(server.url, `{ study(id: "${studyId}") { topInteractions(first: 1) { ${deep} } } }`);
    assert.match(nested.errors?.[0]?.message ?? "", /depth limit of 12 exceeded, found 3\d/);

    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: name`).join(" ");
    const aliased = await gql(server.url, `{ study(id: "${studyId}") { ${aliases} } }`);
    assert.match(aliased.errors?.[0]?.message ?? "", /Aliases limit of 20 exceeded, found 500/);
    const aliasedLists = Array.from({ length: 500 }, (_, i) => `s${i}: studies(first: 1) { id }`).join(" ");
    const tokens = await gql(server.url, `{ ${aliasedLists} }`);
    assert.match(tokens.errors?.[0]?.message ?? "", new RegExp(`contains more \\w+ ${LIMITS.maxTokens} tokens`));
    await assertHealthy();
  });

  test("a body over 1 MB is refused with 413, declared or streamed (5 MB name, 50 MB body)", async () => {
    const huge = JSON.stringify({ query: RUN, variables: input({ name: "x".repeat(5 * 1024 * 1024) }) });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${analyst}` },
      body: huge,
    });
    assert.equal(response.status, 413);
    const declared = await postRaw(server.url, repeated(Buffer.alloc(64 * 1024, 32), 4), 50 * 1024 * 1024);
    assert.equal(declared, 413);
    const streamed = await postRaw(server.url, repeated(Buffer.alloc(64 * 1024, 32), 800));
    assert.equal(streamed, 413);
    await assertHealthy();
  });

  test("over-long names and NUL bytes are refused with BAD_USER_INPUT", async () => {
    const long = await gql(server.url, RUN, input({ name: "n".repeat(201) }), analyst);
    assert.equal(long.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(long.errors?.[0]?.message ?? "", /input\.name is 201 characters long; use at most 200/);
    const nul = await gql(server.url, RUN, input({ name: "a\0b" }), analyst);
    assert.equal(nul.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(nul.errors?.[0]?.message ?? "", /\$input\.name contains a NUL character/);
    const literal = await gql(server.url, `{ study(id: "a\\u0000b") { id } }`);
    assert.equal(literal.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    await assertHealthy();
  });

  test("tokens, dSae, nfmK and layer of 2³¹−1 are refused, each naming its bound", async () => {
    const max = 2 ** 31 - 1;
    for (const [field, bound] of [
      ["tokens", "between 1 and 100000"],
      ["dSae", "between 1 and 65536"],
      ["nfmK", "between 1 and 4096"],
      ["layer", "between 0 and 1023"],
    ] as const) {
      const result = await gql(server.url, RUN, input({ [field]: max }), analyst);
      assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", field);
      assert.match(result.errors?.[0]?.message ?? "", new RegExp(`input\\.${field} must be a whole number ${bound}`));
    }
    const layer = await gql(server.url, RUN, input({ layer: 4 }), analyst);
    assert.match(layer.errors?.[0]?.message ?? "", /input\.layer must be between 0 and 3 for this model \(got 4\)/);
    await assertHealthy();
  });

  test("a model outside the model roots gets one message whatever exists on disk; roots and hub ids pass", async () => {
    const messages = new Set<string>();
    for (const model of ["/", "../../etc/passwd", "/etc", join(outside, "model"), "no-such-model", "tiny-gpt2/../.."]) {
      const result = await gql(server.url, RUN, input({ model }), analyst);
      assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", model);
      messages.add((result.errors?.[0]?.message ?? "").replace(JSON.stringify(model), "MODEL"));
    }
    assert.equal(messages.size, 1, [...messages].join("\n"));
    assert.match([...messages][0] ?? "", /^input\.model MODEL is not a model this server offers/);

    const local = await data<{ requestStudyRun: { params: { model: string } } }>(server.url, RUN, input(), analyst);
    assert.equal(local.requestStudyRun.params.model, join(modelRoot, "tiny-gpt2"));
    const absolute = await data<{ requestStudyRun: { params: { model: string } } }>(
      server.url,
      RUN,
      input({ model: join(modelRoot, "tiny-gpt2") }),
      analyst,
    );
    assert.equal(absolute.requestStudyRun.params.model, join(modelRoot, "tiny-gpt2"));
    const hub = await data<{ requestStudyRun: { params: { model: string } } }>(
      server.url,
      RUN,
      input({ model: "openai-community/gpt2", layer: 900 }),
      analyst,
    );
    assert.equal(hub.requestStudyRun.params.model, "openai-community/gpt2");
    await assertHealthy();
  });

  test("a syntax error answers without a stack trace or a server path", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ studies { id " }),
    });
    const text = await response.text();
    assert.match(text, /Syntax Error/);
    assert.doesNotMatch(text, /stacktrace|node_modules|\/src\/|\.ts:|\.js:|at [A-Za-z.]+ \(/);
    await assertHealthy();
  });

  test("every list refuses a page larger than 500 instead of clamping it", async () => {
    for (const query of [
      "{ studies(first: 501) { id } }",
      "{ runs(first: 501) { id } }",
      `{ study(id: "${studyId}") { features(first: 501) { totalCount } } }`,
      `{ study(id: "${studyId}") { topInteractions(first: 501) { id } } }`,
      `{ study(id: "${studyId}") { densityHistogram(bins: 501) { count } } }`,
      `{ feature(studyId: "${studyId}", index: 0) { examples(first: 501) { maxValue } } }`,
      `{ feature(studyId: "${studyId}", index: 0) { interactionPartners(first: 501) { totalCount } } }`,
      `{ study(id: "${studyId}") { features(first: 1000000) { edges { node { interactionPartners(first: 501) { totalCount } } } } } }`,
    ]) {
      const result = await gql(server.url, query);
      assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", query);
      assert.match(
        result.errors?.[0]?.message ?? "",
        /^(first|bins) must be a whole number between 0 and 500 \(got (501|1000000)\)/,
        query,
      );
    }
    await assertHealthy();
  });

  test("studies page newest first with first and after (a study id)", async () => {
    const { sql } = database();
    const newer = await saveStudy(sql, sampleStudy({ name: "newer study", features: 2 }));
    const first = await data<{ studies: { id: string }[] }>(server.url, "{ studies(first: 1) { id } }");
    assert.deepEqual(
      first.studies.map((study) => study.id),
      [newer],
    );
    const next = await data<{ studies: { id: string }[] }>(
      server.url,
      "query($after: ID) { studies(first: 1, after: $after) { id } }",
      { after: newer },
    );
    assert.deepEqual(
      next.studies.map((study) => study.id),
      [studyId],
    );
    const bad = await gql(server.url, `{ studies(after: "nope") { id } }`);
    assert.equal(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  });

  test("mutations need a token, checked before their arguments; a known token of too weak a role is FORBIDDEN", async () => {
    const bad = input({ name: "a\0b", tokens: 2 ** 31 - 1 });
    const none = await gql(server.url, RUN, bad);
    assert.equal(none.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assert.match(none.errors?.[0]?.message ?? "", /Authorization: Bearer/);
    const unknown = await gql(server.url, RUN, bad, `ilc_${"A".repeat(43)}`);
    assert.equal(unknown.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    const garbage = await gql(server.url, RUN, bad, "not a token");
    assert.equal(garbage.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");

    const viewer = "{ viewer { name role } }";
    assert.deepEqual(await data(server.url, viewer), { viewer: null });
    assert.deepEqual(await data(server.url, viewer, {}, admin), { viewer: { name: "test admin", role: "admin" } });

    const deletion = "mutation($id: ID!) { deleteStudy(id: $id) }";
    const { sql } = database();
    const doomed = await saveStudy(sql, sampleStudy({ name: "doomed", features: 2 }));
    const weak = await gql(server.url, deletion, { id: doomed }, analyst);
    assert.equal(weak.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(weak.errors?.[0]?.message ?? "", /role admin; the token "test analyst" has role analyst/);
    const deleted = await data<{ deleteStudy: boolean }>(server.url, deletion, { id: doomed }, admin);
    assert.equal(deleted.deleteStudy, true);
    const adminRun = await data<{ requestStudyRun: { id: string } }>(server.url, RUN, input(), admin);
    assert.ok(adminRun.requestStudyRun.id);
    await assertHealthy();
  });

  test("a revoked token is refused at once", async () => {
    const { sql } = database();
    const token = await testToken(sql, "analyst");
    await data(server.url, RUN, input(), token);
    const [row] = await sql<{ id: string }[]>`select id from api_tokens order by created_at desc, id limit 1`;
    assert.ok(row);
    await revokeToken(sql, row.id);
    const refused = await gql(server.url, RUN, input(), token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assert.match(refused.errors?.[0]?.message ?? "", /not known to this server/);
  });
});

describeOnEachDatabase("access settings", (database) => {
  before(async () => {
    await migrate(database().sql);
  });

  test("INTERLACE_READS=token: reads need a token too", async () => {
    const { sql } = database();
    const server = await startServer({ config: testServerConfig({ reads: "token" }), sql, port: 0 });
    try {
      const anonymous = await gql(server.url, "{ studies { id } }");
      assert.equal(anonymous.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
      await data(server.url, "{ studies { id } }", {}, await testToken(sql, "analyst"));
    } finally {
      await server.close();
    }
  });

  test("mutations are rate-limited per token", async () => {
    const { sql } = database();
    const server = await startServer({ config: testServerConfig({ mutationsPerMinute: 2 }), sql, port: 0 });
    try {
      const [first, second] = [await testToken(sql), await testToken(sql)];
      const cancel = `mutation { cancelRun(id: "00000000-0000-0000-0000-000000000000") { id } }`;
      for (let i = 0; i < 2; i++) {
        assert.equal((await gql(server.url, cancel, {}, first)).errors?.[0]?.extensions?.code, "NOT_FOUND");
      }
      const limited = await gql(server.url, cancel, {}, first);
      assert.equal(limited.errors?.[0]?.extensions?.code, "TOO_MANY_REQUESTS");
      assert.match(limited.errors?.[0]?.message ?? "", /try again in \d+ s/);
      assert.equal((await gql(server.url, cancel, {}, second)).errors?.[0]?.extensions?.code, "NOT_FOUND");
    } finally {
      await server.close();
    }
  });
});

test("an internal error answers INTERNAL_SERVER_ERROR with a request id; the log has the full error under it", async () => {
  const unreachable = postgres({ host: "127.0.0.1", port: 1, connect_timeout: 1, max: 1, onnotice: () => {} });
  const logged: string[] = [];
  const server = await startServer({
    config: testServerConfig(),
    sql: unreachable,
    port: 0,
    log: (line) => logged.push(line),
  });
  try {
    const result = await gql(server.url, "{ studies { id } }");
    const error = result.errors?.[0];
    assert.equal(error?.extensions?.code, "INTERNAL_SERVER_ERROR");
    const requestId = error?.extensions?.requestId;
    assert.match(requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(
      error?.message,
      `Internal server error (request id ${requestId}); the server log has the details under this id`,
    );
    assert.equal(error?.extensions?.stacktrace, undefined);
    const line = logged.find((entry) => entry.startsWith(`request ${requestId}: `));
    assert.ok(line, logged.join("\n"));
    assert.match(line, /ECONNREFUSED|connect/);

    const withToken = await gql(server.url, "{ studies { id } }", {}, `ilc_${"t".repeat(43)}`);
    const tokenError = withToken.errors?.[0];
    assert.equal(tokenError?.extensions?.code, "INTERNAL_SERVER_ERROR", "looking the token up failed");
    const tokenRequestId = tokenError?.extensions?.requestId;
    assert.match(tokenError?.message ?? "", new RegExp(`request id ${tokenRequestId}\\)`));
    assert.ok(logged.some((entry) => entry.startsWith(`request ${tokenRequestId}: `)));
  } finally {
    await server.close();
    await unreachable.end({ timeout: 1 });
  }
});
