import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { analyzeText } from "@interlace/compute/steering";
import { openStudyArtifacts, type StudyArtifacts } from "@interlace/compute/study";
import { fixturePath, writeReadableStudy } from "@interlace/compute/testing";
import { migrate } from "../../db/migrate.js";
import { type RunningServer, startServer } from "../../http/server.js";
import { storedStudyDir } from "../../studies/study-dir.js";
import { data, gql } from "../../testing/graphql-request.js";
import { sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { testServerConfig, testToken } from "../../testing/test-server.js";
import { findStudy, saveStudy } from "../study/study.repository.js";

const STEER = `mutation Steer($studyId: ID!, $prompt: String!, $features: [SteerFeatureInput!]!, $maxNewTokens: Int!, $seed: Int) {
  steer(studyId: $studyId, prompt: $prompt, features: $features, maxNewTokens: $maxNewTokens, seed: $seed) {
    hook promptTokens coldStart elapsedMs logProbDiff
    baseline { text tokens tokenIds stopReason }
    steered { text tokens tokenIds stopReason }
  }
}`;
const ANALYZE = `query Analyze($studyId: ID!, $text: String!) {
  analyzeText(studyId: $studyId, text: $text) {
    hook coldStart
    tokens { id token errorNorm interactionNorm features { index value } pairs { a b contribution } }
  }
}`;
const PROMPT = "The people of the United States";

interface SteerData {
  steer: {
    hook: string;
    promptTokens: string[];
    logProbDiff: number[];
    baseline: { text: string; tokenIds: number[] };
    steered: { text: string; tokens: string[]; tokenIds: number[] };
  };
}

const home = mkdtempSync(join(tmpdir(), "steering-home-"));
const studyDir = writeReadableStudy(join(home, "studies", "readable"));
let local: StudyArtifacts;

before(async () => {
  local = await openStudyArtifacts({
    workDir: studyDir,
    modelDir: fixturePath("models", "sotu-gpt2-6l"),
    backend: "auto",
  });
});
after(() => {
  local.dispose();
  rmSync(home, { recursive: true, force: true });
});

describeOnEachDatabase("steering and reading text", (database) => {
  let server: RunningServer;
  let studyId = "";
  let analyst = "";

  before(async () => {
    const { sql } = database();
    await migrate(sql);
    studyId = await saveStudy(sql, sampleStudy({ name: "readable study" }), { dir: storedStudyDir(home, studyDir) });
    analyst = await testToken(sql, "analyst");
    server = await startServer({ config: testServerConfig({ home, mutationsPerMinute: 1000 }), sql, port: 0 });
  });
  after(async () => {
    await server?.close();
  });

  test("the study row records its folder relative to INTERLACE_HOME", async () => {
    const [row] = await database().sql<{ dir: string }[]>`select dir from studies where id = ${studyId}`;
    assert.equal(row?.dir, "studies/readable");
    assert.ok(await findStudy(database().sql, studyId));
  });

  test("analyzeText answers what the compute side reads on the same text", async () => {
    const text = "Fellow citizens, the Congress shall have power to lay and collect taxes.";
    const got = await data<{ analyzeText: { hook: string; tokens: unknown[] } }>(server.url, ANALYZE, {
      studyId,
      text,
    });
    assert.equal(got.analyzeText.hook, "blocks.3.hook_resid_post");
    const expected = analyzeText(local, text);
    assert.equal(got.analyzeText.tokens.length, expected.length);
    const round = (v: number) => Math.round(v * 1e3) / 1e3;
    const simplify = (tokens: typeof expected) =>
      tokens.map((t) => ({
        id: t.id,
        token: t.token,
        features: t.features.map((f) => [f.index, round(f.value)]),
        pairs: t.pairs.map((p) => [p.a, p.b, round(p.contribution)]),
        errorNorm: round(t.errorNorm),
        interactionNorm: round(t.interactionNorm!),
      }));
    assert.deepEqual(simplify(got.analyzeText.tokens as typeof expected), simplify(expected));
  });

  test("steer (analyst token) returns the baseline and the steered continuation", async () => {
    const features = [{ index: 647, mode: "clamp", value: 0 }];
    const got = await data<SteerData>(
      server.url,
      STEER,
      { studyId, prompt: PROMPT, features, maxNewTokens: 12, seed: null },
      analyst,
    );
    const { steer } = got;
    assert.equal(steer.promptTokens.join(""), PROMPT);
    assert.notDeepEqual(steer.steered.tokenIds, steer.baseline.tokenIds);
    assert.equal(steer.steered.tokens.join(""), steer.steered.text);
    assert.equal(steer.logProbDiff.length, steer.steered.tokenIds.length);
    const anonymous = await gql(server.url, STEER, { studyId, prompt: PROMPT, features, maxNewTokens: 4 });
    assert.equal(anonymous.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  });

  test("steer and analyzeText refuse what is out of bounds, naming the argument", async () => {
    const steer = (variables: Record<string, unknown>) =>
      gql(server.url, STEER, { studyId, prompt: PROMPT, features: [], maxNewTokens: 4, ...variables }, analyst);
    const refused = async (answer: ReturnType<typeof steer>, code: string, pattern: RegExp) => {
      const error = (await answer).errors?.[0];
      assert.equal(error?.extensions?.code, code, JSON.stringify(error));
      assert.match(error?.message ?? "", pattern);
    };
    await refused(steer({ maxNewTokens: 65 }), "BAD_USER_INPUT", /^maxNewTokens: 65 new tokens asked; .*1 to 64/);
    const nine = Array.from({ length: 9 }, (_, index) => ({ index, mode: "add", value: 1 }));
    await refused(steer({ features: nine }), "BAD_USER_INPUT", /^features: 9 features given; steer at most 8/);
    await refused(
      steer({ features: [{ index: 4096, mode: "add", value: 1 }] }),
      "BAD_USER_INPUT",
      /^features\.index: feature 4096 does not exist; .*0\.\.1023/,
    );
    await refused(
      steer({ features: [{ index: 1, mode: "scale", value: 1 }] }),
      "BAD_USER_INPUT",
      /^features\.mode: "scale" is not a mode/,
    );
    await refused(
      steer({ features: [{ index: 1, mode: "add", value: 1e9 }] }),
      "BAD_USER_INPUT",
      /^features\.value: .*too large/,
    );
    await refused(steer({ features: [{ index: 1, mode: "add", value: "NaN" }] }), "BAD_USER_INPUT", /value/);
    await refused(
      steer({ prompt: " the".repeat(300) }),
      "BAD_USER_INPUT",
      /^prompt: it has 300 tokens; .*context of 256/,
    );
    await refused(
      steer({ prompt: "x".repeat(2001) }),
      "BAD_USER_INPUT",
      /^prompt is 2001 characters long; use at most 2000/,
    );
    await refused(steer({ prompt: "   " }), "BAD_USER_INPUT", /^prompt is empty/);
    await refused(
      steer({ studyId: "00000000-0000-0000-0000-000000000000" }),
      "NOT_FOUND",
      /no study with id or name "00000000/,
    );
    const analyze = (text: string) => gql(server.url, ANALYZE, { studyId, text });
    await refused(analyze("y".repeat(4001)), "BAD_USER_INPUT", /^text is 4001 characters long; use at most 4000/);
    await refused(analyze(" the".repeat(300)), "BAD_USER_INPUT", /^text: it has 300 tokens; .*context of 256/);
  });

  test("analyzeText is rate-limited per client and per token, and needs a token when reads do", async () => {
    const { sql } = database();
    const limited = await startServer({
      config: testServerConfig({ home, mutationsPerMinute: 2, reads: "open" }),
      sql,
      port: 0,
    });
    try {
      for (let i = 0; i < 2; i++) await data(limited.url, ANALYZE, { studyId, text: "The" });
      const third = await gql(limited.url, ANALYZE, { studyId, text: "The" });
      assert.equal(third.errors?.[0]?.extensions?.code, "TOO_MANY_REQUESTS");
      await data(limited.url, ANALYZE, { studyId, text: "The" }, analyst);
    } finally {
      await limited.close();
    }
    const closed = await startServer({ config: testServerConfig({ home, reads: "token" }), sql, port: 0 });
    try {
      const anonymous = await gql(closed.url, ANALYZE, { studyId, text: "The" });
      assert.equal(anonymous.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    } finally {
      await closed.close();
    }
  });

  test("a request past the time limit is refused with TIMEOUT", async () => {
    const hurried = await startServer({
      config: testServerConfig({ home, steerTimeoutMs: 1 }),
      sql: database().sql,
      port: 0,
    });
    try {
      const answer = await gql(hurried.url, ANALYZE, { studyId, text: "The Congress" });
      assert.equal(answer.errors?.[0]?.extensions?.code, "TIMEOUT");
      assert.match(answer.errors?.[0]?.message ?? "", /longer than its 0\.001 s limit/);
    } finally {
      await hurried.close();
    }
  });
});
