import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { before, test } from "node:test";
import { enqueueRun, findRun, migrate, type RunRow, requestRunCancel, type Sql } from "@interlace/server";
import { describeOnEachDatabase, type TestDatabase } from "@interlace/server/testing";
import { exited, fixtures, startCli } from "./support/cli.js";

/** A study run small enough for a test that still goes through every stage (and checkpoints). */
function smallStudy(name: string) {
  return {
    kind: "study",
    params: { name, model: join(fixtures(), "models", "sotu-gpt2-6l"), layer: 3, tokens: 6000, dSae: 64, nfmK: 8 },
  };
}

/** `interlace worker` against the test database, as a separate process. */
async function startWorkerProcess(database: TestDatabase): Promise<{ child: ChildProcess; output: () => string }> {
  const env: Record<string, string> = { INTERLACE_BACKEND: "wasm" };
  if (database.kind === "postgres" && database.url) env.DATABASE_URL = database.url;
  if (database.home) env.INTERLACE_HOME = database.home;
  return startCli(["worker"], env, /waiting for runs/, 120_000);
}

async function waitFor(sql: Sql, id: string, done: (run: RunRow) => boolean, timeoutMs: number): Promise<RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await findRun(sql, id);
    if (run && done(run)) return run;
    if (run?.status === "failed") throw new Error(`run ${id} failed: ${run.error}`);
    if (Date.now() > deadline) throw new Error(`run ${id} did not reach the expected state: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await exited(child);
}

describeOnEachDatabase("worker processes", (database) => {
  before(async () => {
    await migrate(database().sql);
  });

  test("two workers take different runs; a SIGKILLed worker's run is resumed by the other, storing one study", async () => {
    const { sql } = database();
    const [a, b] = await Promise.all([startWorkerProcess(database()), startWorkerProcess(database())]);
    let collector: NodeJS.Timeout | undefined;
    try {
      const first = await enqueueRun(sql, smallStudy("first"));
      const second = await enqueueRun(sql, smallStudy("second"));
      const [runningFirst, runningSecond] = await Promise.all([
        waitFor(sql, first.id, (run) => run.status === "running", 60_000),
        waitFor(sql, second.id, (run) => run.status === "running", 60_000),
      ]);
      assert.notEqual(runningFirst.workerId, runningSecond.workerId);
      const victim = runningFirst.workerId?.includes(`-${a.child.pid}-`) ? a : b;
      const survivor = victim === a ? b : a;
      // Past the SAE stage, the study's folder holds a checkpoint to resume from.
      await waitFor(sql, first.id, (run) => run.progress > 0.42, 600_000);
      victim.child.kill("SIGKILL");
      await exited(victim.child);
      const killedAt = await findRun(sql, first.id);
      assert.equal(killedAt?.status, "running");
      // Every message of the second attempt (the log keeps only its tail, so read it as it grows).
      const later = new Set<string>();
      collector = setInterval(() => {
        findRun(sql, first.id).then(
          (run) => {
            for (const message of run?.log ?? []) if (!killedAt?.log.includes(message)) later.add(message);
          },
          () => undefined,
        );
      }, 250);
      // Its heartbeat stopped; instead of waiting out the stale limit, age it.
      await sql`update runs set heartbeat_at = now() - interval '10 minutes' where id = ${first.id}`;
      const [doneFirst, doneSecond] = await Promise.all([
        waitFor(sql, first.id, (run) => run.status !== "running" && run.status !== "queued", 900_000),
        waitFor(sql, second.id, (run) => run.status !== "running" && run.status !== "queued", 900_000),
      ]);
      assert.equal(doneFirst.status, "succeeded", doneFirst.error ?? "");
      assert.equal(doneSecond.status, "succeeded", doneSecond.error ?? "");
      assert.equal(doneFirst.attempts, 2);
      assert.ok(doneFirst.workerId?.includes(`-${survivor.child.pid}-`));
      clearInterval(collector);
      const resumed = [...later];
      assert.ok(resumed.includes("SAE loaded from the resumed study"), `resumed: ${JSON.stringify(resumed)}`);
      assert.equal(
        resumed.filter(
          (message) =>
            message.startsWith("SAE step") || (message.startsWith("harvest") && message !== "harvest 6000/6000 tokens"),
        ).length,
        0,
        `the second attempt neither harvests nor trains the SAE again: ${JSON.stringify(resumed)}`,
      );
      const studies = await sql<{ id: string; runId: string }[]>`
        select id, run_id as "runId" from studies where run_id in (${first.id}, ${second.id})`;
      assert.equal(studies.length, 2);
      const [duplicates] = await sql<{ n: number }[]>`
        select count(*)::int as n from (select study_id, index from features group by study_id, index having count(*) > 1) d`;
      assert.equal(duplicates?.n, 0);
      assert.equal(doneFirst.studyId, studies.find((s) => s.runId === first.id)?.id);
    } finally {
      // Also when an assertion fails: a live interval would keep this test file's process from ever exiting.
      clearInterval(collector);
      await Promise.all([stop(a.child), stop(b.child)]);
    }
  });

  test("cancelling a run mid-training stops its worker within seconds", async () => {
    const { sql } = database();
    const worker = await startWorkerProcess(database());
    try {
      const run = await enqueueRun(sql, smallStudy("cancelled"));
      await waitFor(sql, run.id, (r) => r.status === "running" && r.progress > 0.26, 600_000);
      const asked = Date.now();
      await requestRunCancel(sql, run.id);
      const ended = await waitFor(sql, run.id, (r) => r.status !== "running", 60_000);
      const seconds = (Date.now() - asked) / 1000;
      console.log(`cancel → run cancelled: ${seconds.toFixed(2)} s`);
      assert.equal(ended.status, "cancelled");
      assert.ok(seconds < 5, `the run stopped ${seconds.toFixed(1)} s after the cancel`);
      const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from studies where run_id = ${run.id}`;
      assert.equal(stored?.n, 0);
    } finally {
      await stop(worker.child);
    }
  });
});
