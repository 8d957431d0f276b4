import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { migrate } from "../db/migrate.js";
import { explanationsOfPair } from "../features/explanation/explanation.service.js";
import { saveStudy } from "../features/study/study.repository.js";
import { type ClaudeStub, type StubAnswer, type StubRequest, startClaudeStub } from "../testing/claude-stub.js";
import { cannedExplanation, excerpts, honestScorer, namedWord, promptKind } from "../testing/claude-stub-answers.js";
import { explainStudy } from "../testing/explain-study.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { claudeOf } from "./claude.js";
import { EXPLAIN_MAX_TOKENS } from "./explain-feature.js";
import { type ExplainRequest, explainFeatures } from "./explain-run.js";

const wellBehaved = (request: StubRequest): StubAnswer => {
  const kind = promptKind(request.prompt);
  if (kind === "explain" || kind === "pair") return { text: cannedExplanation(request.prompt) };
  return { text: honestScorer(request.prompt) };
};

const featureOf = (prompt: string) => Number(/<< fruit(\d+)>>/.exec(prompt)?.[1] ?? -1);
const unmark = (line: string) => line.replace(/<<(.*?)>>(\(\d+\.\d+\))?/g, "$1");

describeOnEachDatabase("explaining features against a local Claude stub", (database) => {
  let studyId = "";
  let stub: ClaudeStub;
  let answer: (request: StubRequest, seen: number) => StubAnswer = wellBehaved;

  before(async () => {
    await migrate(database().sql);
    studyId = await saveStudy(database().sql, explainStudy());
    stub = await startClaudeStub((request, seen) => answer(request, seen));
  });

  after(async () => {
    await stub?.close();
  });

  const claude = () => claudeOf({ apiKey: "sk-test-key", baseURL: stub.url, model: "claude-test-model" });
  const run = (request: Partial<ExplainRequest> & { indices: number[] }, concurrency = 2) =>
    explainFeatures(
      { sql: database().sql, claude: claude(), concurrency, runId: null },
      { studyId, scorers: ["detection", "fuzzing"], tokenBudget: 1_000_000, seed: 7, ...request },
    );

  test("explanations are stored trimmed, scored on held-out examples, and the scores check by hand", async () => {
    answer = wellBehaved;
    const before = stub.requests.length;
    const summary = await run({ indices: [0, 2] });
    const requests = stub.requests.slice(before);
    assert.deepEqual(
      summary.outcomes.map((o) => [o.index, o.status, o.text]),
      [
        [0, "explained", 'Fires on the word "fruit0".'],
        [2, "explained", 'Fires on the word "fruit2".'],
      ],
    );
    // request shape: the SDK sends the configured model, key, max_tokens and one user message carrying the examples
    const explainRequests = requests.filter((r) => promptKind(r.prompt) === "explain");
    assert.equal(explainRequests.length, 2);
    for (const request of explainRequests) {
      assert.equal(request.path, "/v1/messages");
      const key = request.headers["x-api-key"] ?? request.headers.authorization?.replace(/^Bearer /, "");
      assert.equal(key, "sk-test-key", "the key from ANTHROPIC_API_KEY reaches the API");
      assert.equal(request.body.model, "claude-test-model");
      assert.equal(request.body.max_tokens, EXPLAIN_MAX_TOKENS);
      assert.equal(request.body.messages?.length, 1);
      assert.equal(request.body.messages?.[0]?.role, "user");
      const f = featureOf(request.prompt);
      assert.match(request.prompt, new RegExp(`<< fruit${f}>>\\(\\d\\.\\d\\d\\)`), "active tokens are marked");
      assert.match(request.prompt, /" up0", " up1"/, "top logits are listed");
      // 2 of the 4 top windows and 1 of the 2 windows of each of interval groups 5 and 9
      assert.equal(excerpts(request.prompt).length, 4);
    }
    // held out: no excerpt a scorer sees is one the explanation was written from
    for (const f of [0, 2]) {
      const shown = new Set(excerpts(explainRequests.find((r) => featureOf(r.prompt) === f)?.prompt ?? "").map(unmark));
      // the feature's own scoring calls (the last two calls are the baseline's), its own windows among their excerpts
      const scored = requests
        .slice(0, -2)
        .filter((r) => promptKind(r.prompt) !== "explain" && namedWord(r.prompt) === `fruit${f}`)
        .flatMap((r) => excerpts(r.prompt).map(unmark))
        .filter((line) => line.includes(`fruit${f} `));
      assert.ok(scored.length > 0);
      for (const line of scored) assert.ok(!shown.has(line), `held-out excerpt ${line} was shown to the explainer`);
    }
    const rows = await database().sql<
      { featureIndex: number; text: string; model: string; promptVersion: string; seed: number }[]
    >`select feature_index as "featureIndex", text, model, prompt_version as "promptVersion", seed
      from explanations where study_id = ${studyId} order by feature_index`;
    assert.deepEqual(
      rows.map((r) => [r.featureIndex, r.text, r.model, r.promptVersion, r.seed]),
      [
        [0, 'Fires on the word "fruit0".', "claude-test-model", "explain-v1", 7],
        [2, 'Fires on the word "fruit2".', "claude-test-model", "explain-v1", 7],
      ],
    );
    const scores = await database().sql<{ f: number; kind: string; value: number; counts: number[]; n: number }[]>`
      select x.feature_index as f, s.kind, s.value, s.n,
        array[s.true_positives, s.false_negatives, s.true_negatives, s.false_positives] as counts
      from explanation_scores s join explanations x on x.id = s.explanation_id
      where x.study_id = ${studyId} order by f, kind`;
    // detection: 4 held-out activating windows (2 top, 1 from each interval group) + 4 other features' windows, all
    // judged right: TP 4, FN 0, TN 4, FP 0 → (4/4 + 4/4) / 2 = 1. Fuzzing: the 4 activating windows, alternately
    // marked right and wrong: TP 2, TN 2 → 1.
    assert.deepEqual(
      scores.map((s) => [s.f, s.kind, s.value, s.n, s.counts]),
      [
        [0, "detection", 1, 8, [4, 0, 4, 0]],
        [0, "fuzzing", 1, 4, [2, 0, 2, 0]],
        [2, "detection", 1, 8, [4, 0, 4, 0]],
        [2, "fuzzing", 1, 4, [2, 0, 2, 0]],
      ],
    );
    // baseline: feature 0 judged by feature 2's explanation. Detection: the scorer says 1 only for the k
    // non-activating windows that happen to be feature 2's: TP 0, FN 4, TN 4 − k, FP k → (0 + (4 − k)/4) / 2.
    // Fuzzing: "fruit2" is never marked, all 0: TP 0, FN 2, TN 2 → 0.5.
    const baselineDetection = requests.at(-2)?.prompt ?? "";
    assert.equal(promptKind(baselineDetection), "detection");
    const k = excerpts(baselineDetection).filter((line) => line.includes("fruit2 ")).length;
    assert.deepEqual(summary.baseline, [
      { kind: "detection", value: (4 - k) / 4 / 2, n: 8 },
      { kind: "fuzzing", value: 0.5, n: 4 },
    ]);
    const spent = requests.reduce((sum, r) => sum + Math.ceil(r.prompt.length / 4), 0);
    assert.ok(summary.inputTokens >= spent, "input tokens are counted from the usage fields");
    assert.ok(summary.outputTokens > 0);
  });

  test("a scorer that misses one positive scores (3/4 + 4/4) / 2 = 0.875 with its counts", async () => {
    answer = (request) =>
      promptKind(request.prompt) === "detection" ? { text: honestScorer(request.prompt, true) } : wellBehaved(request);
    const summary = await run({ indices: [4], scorers: ["detection"] });
    assert.deepEqual(summary.outcomes[0]?.scores, [{ kind: "detection", value: 0.875, n: 8 }]);
  });

  test("unreadable scorer answers leave the score absent; the explanation stays", async () => {
    answer = (request) => {
      const kind = promptKind(request.prompt);
      if (kind === "detection") return { text: "Yes, most of them." };
      if (kind === "fuzzing") return { text: "[1, 0]" };
      return wellBehaved(request);
    };
    const summary = await run({ indices: [6] });
    const [outcome] = summary.outcomes;
    assert.equal(outcome?.status, "explained");
    assert.equal(outcome?.text, 'Fires on the word "fruit6".');
    assert.deepEqual(outcome?.scores, []);
    assert.match(outcome?.message ?? "", /detection: the scorer's answer was unreadable; fuzzing: the scorer's/);
  });

  test("a reply with no text block fails only that feature", async () => {
    answer = (request) =>
      featureOf(request.prompt) === 8 && promptKind(request.prompt) === "explain"
        ? { raw: { id: "x", type: "message", role: "assistant", content: [], usage: { input_tokens: 5 } } }
        : wellBehaved(request);
    const summary = await run({ indices: [8, 10] });
    assert.deepEqual(
      summary.outcomes.map((o) => [o.index, o.status, o.message]),
      [
        [8, "failed", "the model's reply held no text"],
        [10, "explained", null],
      ],
    );
  });

  test("a 429 is retried with back-off and then succeeds", async () => {
    let limited = false;
    answer = (request) => {
      if (!limited) {
        limited = true;
        return { status: 429, message: "rate limited, slow down" };
      }
      return wellBehaved(request);
    };
    const before = stub.requests.length;
    const summary = await run({ indices: [0], scorers: ["fuzzing"] });
    assert.equal(summary.outcomes[0]?.status, "explained");
    assert.equal(stub.requests.length - before, 3, "the explain call twice (429, then 200), then the scorer");
  });

  test("500 and 529 forever: retried a bounded number of times, the feature fails with the API's message", async () => {
    answer = (request) => {
      const f = featureOf(request.prompt);
      if (promptKind(request.prompt) === "explain" && f === 2) {
        return { status: 500, message: "the stub is down", headers: { "retry-after-ms": "5" } };
      }
      if (promptKind(request.prompt) === "explain" && f === 4) {
        return { status: 529, message: "Overloaded", headers: { "retry-after-ms": "5" } };
      }
      return wellBehaved(request);
    };
    const before = stub.requests.length;
    const summary = await run({ indices: [2, 4, 6], scorers: ["detection"] });
    assert.deepEqual(
      summary.outcomes.map((o) => [o.index, o.status, o.message]),
      [
        [2, "failed", "500: the stub is down"],
        [4, "failed", "529: Overloaded"],
        [6, "explained", null],
      ],
    );
    const calls = stub.requests.slice(before).filter((r) => promptKind(r.prompt) === "explain");
    assert.equal(calls.filter((r) => featureOf(r.prompt) === 2).length, 5, "1 call + 4 retries");
    assert.equal(calls.filter((r) => featureOf(r.prompt) === 4).length, 5);
  });

  test("a run stops when its token budget is spent and says so", async () => {
    answer = wellBehaved;
    const before = stub.requests.length;
    const summary = await run({ indices: [0, 2, 4], tokenBudget: 1 }, 1);
    assert.equal(stub.requests.length - before, 1, "only the first explain call was made");
    assert.equal(summary.budgetReached, true);
    assert.deepEqual(
      summary.outcomes.map((o) => [o.index, o.status]),
      [
        [0, "explained"],
        [2, "skipped"],
        [4, "skipped"],
      ],
    );
    assert.match(summary.outcomes[0]?.message ?? "", /detection: token budget spent; fuzzing: token budget spent/);
    assert.match(summary.outcomes[1]?.message ?? "", /token budget is spent/);
  });
  test("interaction pairs among the features are explained from both features and read back in either order", async () => {
    answer = (request) =>
      promptKind(request.prompt) === "pair" ? { text: " Together they mark fruit falling. " } : wellBehaved(request);
    const before = stub.requests.length;
    // the sample study's interactions include the pairs (0, 2) and (2, 4) and (4, 0)
    const summary = await run({ indices: [0, 2, 4], scorers: [], pairs: true });
    const pairPrompts = stub.requests.slice(before).filter((r) => promptKind(r.prompt) === "pair");
    assert.equal(pairPrompts.length, summary.pairs.length);
    assert.ok(summary.pairs.length >= 2);
    for (const pair of summary.pairs) assert.equal(pair.text, "Together they mark fruit falling.");
    const first = pairPrompts[0]?.prompt ?? "";
    assert.match(first, /Feature A \(explained as: Fires on the word "fruit\d+"\.\):/);
    assert.match(first, /Feature B \(explained as: Fires on the word "fruit\d+"\.\):/);
    const [pair] = summary.pairs;
    assert.ok(pair);
    const forward = await explanationsOfPair(database().sql, studyId, pair.a, pair.b);
    const backward = await explanationsOfPair(database().sql, studyId, pair.b, pair.a);
    assert.equal(forward[0]?.text, "Together they mark fruit falling.");
    assert.equal(forward[0]?.promptVersion, "explain-pair-v1");
    assert.deepEqual(backward, forward);
  });
});
