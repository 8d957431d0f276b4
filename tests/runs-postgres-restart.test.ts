import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { enqueueRun, findRun, migrate, type RunRow, type Sql } from "@interlace/server";
import { openTestDatabase } from "@interlace/server/testing";
import { exited, fixtures, freePort, startCli } from "./support/cli.js";

/**
 * Restarting the machine's Postgres disturbs every other user of it, so this test runs only when asked:
 * INTERLACE_TEST_RESTART_POSTGRES=1 with TEST_DATABASE_URL naming a local cluster that pg_ctlcluster controls.
 */
const skip =
  process.env.INTERLACE_TEST_RESTART_POSTGRES === "1" && process.env.TEST_DATABASE_URL
    ? false
    : "set INTERLACE_TEST_RESTART_POSTGRES=1 and TEST_DATABASE_URL to restart the local Postgres mid-run";

function restartPostgres(): void {
  const [version] = readdirSync("/etc/postgresql");
  assert.ok(version, "a Debian Postgres cluster under /etc/postgresql");
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { stdio: "inherit" });
}

async function waitFor(sql: Sql, id: string, done: (run: RunRow) => boolean, timeoutMs: number): Promise<RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await findRun(sql, id).catch(() => undefined);
    if (run && done(run)) return run;
    if (run?.status === "failed") throw new Error(`run ${id} failed: ${run.error}`);
    if (Date.now() > deadline) throw new Error(`run ${id} did not reach the expected state: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("Postgres restarted mid-run: server and worker reconnect, the run finishes once", { skip }, async () => {
  const database = await openTestDatabase("postgres");
  const { sql } = database;
  await migrate(sql);
  const port = await freePort();
  const env = { DATABASE_URL: database.url ?? "", INTERLACE_BACKEND: "wasm", PORT: String(port) };
  const server = await startCli(["serve", "--no-worker"], env, /Interlace GraphQL/, 120_000);
  const worker = await startCli(["worker"], env, /waiting for runs/, 120_000);
  try {
    const run = await enqueueRun(sql, {
      kind: "study",
      params: {
        name: "through a restart",
        model: join(fixtures(), "models", "sotu-gpt2-6l"),
        layer: 3,
        tokens: 6000,
        dSae: 64,
        nfmK: 8,
      },
    });
    await waitFor(sql, run.id, (r) => r.status === "running" && r.progress > 0.3, 600_000);
    restartPostgres();
    const ended = await waitFor(sql, run.id, (r) => r.status === "succeeded" || r.status === "failed", 900_000);
    assert.equal(ended.status, "succeeded", ended.error ?? "");
    const studies = await sql<{ id: string }[]>`select id from studies where run_id = ${run.id}`;
    assert.equal(studies.length, 1);
    assert.equal(ended.studyId, studies[0]?.id);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200, "the server reconnected");
  } finally {
    worker.child.kill("SIGTERM");
    server.child.kill("SIGTERM");
    await Promise.all([exited(worker.child), exited(server.child)]);
    await database.close();
  }
});
