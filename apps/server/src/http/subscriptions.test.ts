import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { migrate } from "../db/migrate.js";
import { claimNextRun, completeRun, enqueueRun, finishRun, reportRunProgress } from "../features/run/run.repository.js";
import { saveStudy } from "../features/study/study.repository.js";
import { data, gql } from "../testing/graphql-request.js";
import { sampleStudy } from "../testing/sample-study.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import { testServerConfig, testToken } from "../testing/test-server.js";
import { type RunningServer, startServer } from "./server.js";

interface Progress {
  status: string;
  progress: number;
  stage: string | null;
  log: string[];
}

const RUN_PROGRESS = "subscription($id: ID!) { runProgress(id: $id) { status progress stage log } }";
const RUNS_CHANGED = "subscription($first: Int) { runsChanged(first: $first) { id status progress } }";

/** Subscribes to runProgress over graphql-ws and collects every event until the subscription ends. */
function subscribe(url: string, id: string, authorization?: string) {
  return subscribeTo<Progress>(url, RUN_PROGRESS, { id }, "runProgress", authorization);
}

/** Subscribes to `query` over graphql-ws and collects each event's `field` until the subscription ends. */
function subscribeTo<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  field: string,
  authorization?: string,
) {
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    ...(authorization ? { connectionParams: { authorization } } : {}),
  });
  const events: T[] = [];
  const waiters: (() => void)[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          if (value.data) events.push(value.data[field]!);
          for (const wake of waiters.splice(0)) wake();
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: resolve,
      },
    );
  });
  /** Resolves once an event satisfying `wanted` arrived. */
  const received = async (wanted: (event: T) => boolean) => {
    while (!events.some(wanted)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { events, ended, received, close: () => client.dispose() };
}

describeOnEachDatabase("runs over GraphQL: subscription, retry, feature data, deleting a study", (database) => {
  let server: RunningServer;
  let analyst: string;
  let admin: string;
  const home = mkdtempSync(join(tmpdir(), "interlace-runs-"));

  before(async () => {
    const { sql } = database();
    await migrate(sql);
    analyst = await testToken(sql, "analyst");
    admin = await testToken(sql, "admin");
    server = await startServer({ config: testServerConfig({ home }), sql, port: 0 });
  });

  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("runProgress delivers the run now, its progress as it changes, and its end", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: { name: "watched" } });
    const watched = subscribe(server.url, queued.id);
    try {
      await watched.received((e) => e.status === "QUEUED");
      const claimed = await claimNextRun(sql, "w-sub");
      assert.equal(claimed?.id, queued.id);
      await reportRunProgress(sql, queued.id, "w-sub", { progress: 0.4, message: "harvest 40%", stage: "harvest" });
      await watched.received((e) => e.progress === 0.4);
      await reportRunProgress(sql, queued.id, "w-sub", { progress: 0.7, message: "SAE step 3/4", stage: "SAE step" });
      await completeRun(sql, queued.id, "w-sub", undefined);
      await watched.ended;
      const last = watched.events.at(-1);
      assert.equal(last?.status, "SUCCEEDED");
      assert.equal(last?.progress, 1);
      assert.deepEqual(last?.log, ["harvest 40%", "SAE step 3/4"]);
      assert.ok(watched.events.some((e) => e.status === "RUNNING" && e.progress === 0.4 && e.stage === "harvest"));
    } finally {
      await watched.close();
    }
  });

  test("runsChanged delivers the newest runs now, a newly requested run and its progress, until the client leaves", async () => {
    const { sql } = database();
    type Listed = { id: string; status: string; progress: number }[];
    const listed = subscribeTo<Listed>(server.url, RUNS_CHANGED, { first: 2 }, "runsChanged");
    try {
      await listed.received(() => true);
      const queued = await enqueueRun(sql, { kind: "study", params: { name: "listed" } });
      await listed.received((runs) => runs[0]?.id === queued.id && runs[0].status === "QUEUED");
      await claimNextRun(sql, "w-list");
      await reportRunProgress(sql, queued.id, "w-list", { progress: 0.3, message: "harvest 30%", stage: "harvest" });
      await listed.received((runs) => runs[0]?.id === queued.id && runs[0].progress === 0.3);
      assert.ok(
        listed.events.every((runs) => runs.length <= 2),
        "at most `first` runs in each event",
      );
      await finishRun(sql, queued.id, "w-list", { status: "cancelled" });
      await listed.received((runs) => runs[0]?.status === "CANCELLED");
    } finally {
      await listed.close();
    }
    const tooMany = subscribeTo<Listed>(server.url, RUNS_CHANGED, { first: 100_000 }, "runsChanged");
    await assert.rejects(tooMany.ended, /first/);
    await tooMany.close();
  });

  test("runProgress names an unknown run; reads that need a token refuse runProgress and runsChanged without one", async () => {
    const unknown = subscribe(server.url, "00000000-0000-0000-0000-000000000000");
    await assert.rejects(unknown.ended, /No run has id/);
    await unknown.close();
    const closed = await startServer({
      config: testServerConfig({ home, reads: "token" }),
      sql: database().sql,
      port: 0,
    });
    try {
      const queued = await enqueueRun(database().sql, { kind: "study", params: {} });
      const anonymous = subscribe(closed.url, queued.id);
      await assert.rejects(anonymous.ended, /needs a token/);
      await anonymous.close();
      const anonymousList = subscribeTo(closed.url, RUNS_CHANGED, {}, "runsChanged");
      await assert.rejects(anonymousList.ended, /needs a token/);
      await anonymousList.close();
      const signedIn = subscribe(closed.url, queued.id, `Bearer ${analyst}`);
      await signedIn.received((e) => e.status === "QUEUED");
      await signedIn.close();
      await gql(closed.url, "mutation($id: ID!) { cancelRun(id: $id) { id } }", { id: queued.id }, analyst);
    } finally {
      await closed.close();
    }
  });

  test("retryRun queues a failed run again; a running run cannot be retried", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: {} });
    await claimNextRun(sql, "w-retry");
    const retry = "mutation($id: ID!) { retryRun(id: $id) { id status attempts error } }";
    const refused = await gql(server.url, retry, { id: queued.id }, analyst);
    assert.match(refused.errors?.[0]?.message ?? "", /is running; only failed or cancelled runs can be retried/);
    await finishRun(sql, queued.id, "w-retry", { status: "failed", error: "boom" });
    const retried = await data<{ retryRun: { status: string; attempts: number; error: string | null } }>(
      server.url,
      retry,
      { id: queued.id },
      analyst,
    );
    assert.deepEqual(retried.retryRun, { id: queued.id, status: "QUEUED", attempts: 0, error: null });
    await gql(server.url, "mutation($id: ID!) { cancelRun(id: $id) { id } }", { id: queued.id }, analyst);
  });

  test("requestFeatureDataRun queues a feature-data run for an existing study only", async () => {
    const studyId = await saveStudy(database().sql, sampleStudy({ features: 2 }));
    const request = "mutation($id: ID!) { requestFeatureDataRun(studyId: $id) { id kind status params } }";
    const queued = await data<{ requestFeatureDataRun: { id: string; kind: string; params: unknown } }>(
      server.url,
      request,
      { id: studyId },
      analyst,
    );
    assert.equal(queued.requestFeatureDataRun.kind, "feature-data");
    assert.deepEqual(queued.requestFeatureDataRun.params, { studyId });
    const missing = await gql(server.url, request, { id: "00000000-0000-0000-0000-000000000000" }, analyst);
    assert.match(missing.errors?.[0]?.message ?? "", /No study has id/);
    await gql(
      server.url,
      "mutation($id: ID!) { cancelRun(id: $id) { id } }",
      { id: queued.requestFeatureDataRun.id },
      analyst,
    );
  });

  test("deleteStudy (admin) removes the study's rows and its folder under home/studies, nothing outside", async () => {
    const { sql } = database();
    const dir = join(home, "studies", "doomed");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "report.json"), "{}");
    const outside = mkdtempSync(join(tmpdir(), "interlace-outside-"));
    const studyId = await saveStudy(sql, sampleStudy({ features: 2 }), { dir });
    const kept = await saveStudy(sql, sampleStudy({ features: 2 }), { dir: outside });
    const remove = "mutation($id: ID!) { deleteStudy(id: $id) }";
    const byAnalyst = await gql(server.url, remove, { id: studyId }, analyst);
    assert.match(byAnalyst.errors?.[0]?.message ?? "", /role admin/);
    assert.deepEqual(await data(server.url, remove, { id: studyId }, admin), { deleteStudy: true });
    assert.equal(existsSync(dir), false);
    const [left] = await sql<{ n: number }[]>`select count(*)::int as n from features where study_id = ${studyId}`;
    assert.equal(left?.n, 0);
    assert.deepEqual(await data(server.url, remove, { id: kept }, admin), { deleteStudy: true });
    assert.equal(existsSync(outside), true);
    rmSync(outside, { recursive: true, force: true });
  });
});
