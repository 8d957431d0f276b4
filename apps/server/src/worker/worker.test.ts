import assert from "node:assert/strict";
import { before, test } from "node:test";
import { migrate } from "../db/migrate.js";
import type { Sql } from "../db/sql.js";
import {
  claimNextRun,
  enqueueRun,
  findRun,
  type RunRow,
  requestRunCancel,
  requeueStaleRuns,
} from "../features/run/run.repository.js";
import { insertStudy } from "../features/study/study.repository.js";
import { sampleStudy } from "../testing/sample-study.js";
import { describeOnEachDatabase } from "../testing/test-databases.js";
import type { RunExecutor } from "./executor.js";
import { runNextJob, startWorker } from "./worker.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the run until `done` holds (fails after 20 s so a broken worker cannot hang the suite). */
async function waitForRun(sql: Sql, id: string, done: (run: RunRow) => boolean): Promise<RunRow> {
  for (let i = 0; i < 400; i += 1) {
    const run = await findRun(sql, id);
    if (run && done(run)) return run;
    await pause(50);
  }
  throw new Error(`run ${id} never reached the expected state`);
}

/** A real executor: stores a small study (with its run's id) after reporting progress in steps, or stops when asked. */
function studyExecutor(steps = 3, stepMs = 10): RunExecutor {
  return async (run, controls) => {
    for (let step = 0; step < steps; step += 1) {
      if (controls.isCancelled()) return {};
      await controls.reportProgress(step / steps, `step ${step + 1} of ${steps}`);
      await pause(stepMs);
    }
    const name = typeof run.params.name === "string" ? run.params.name : "unnamed";
    return { store: (tx) => insertStudy(tx, sampleStudy({ name, features: 4 }), { runId: run.id }) };
  };
}

describeOnEachDatabase("worker", (database) => {
  before(async () => {
    await migrate(database().sql);
  });

  test("a queued run is executed, reports progress and ends succeeded with its study", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: { name: "from the worker" } });
    const seen: string[] = [];
    const executor: RunExecutor = async (run, controls) => {
      await controls.reportProgress(0.5, "half way");
      const midway = await findRun(sql, run.id);
      seen.push(`${midway?.status} ${midway?.progress} ${midway?.message}`);
      return studyExecutor()(run, controls);
    };
    const finished = await runNextJob({ sql, executor, workerId: "w1" });
    assert.equal(finished?.id, queued.id);
    assert.equal(finished?.status, "succeeded");
    assert.equal(finished?.progress, 1);
    assert.deepEqual(seen, ["running 0.5 half way"]);
    const [study] = await sql<{ name: string }[]>`select name from studies where id = ${finished?.studyId ?? null}`;
    assert.equal(study?.name, "from the worker");
    assert.equal(await runNextJob({ sql, executor, workerId: "w1" }), undefined);
  });

  test("an executor that throws fails the run with its message", async () => {
    const { sql } = database();
    await enqueueRun(sql, { kind: "study", params: {} });
    const finished = await runNextJob({
      sql,
      workerId: "w1",
      executor: async () => {
        throw new Error("model directory /nowhere has no config.json");
      },
    });
    assert.equal(finished?.status, "failed");
    assert.equal(finished?.error, "model directory /nowhere has no config.json");
  });

  test("a cancel request reaches the running executor, which stops; the run ends cancelled", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: {} });
    const executor: RunExecutor = async (_run, controls) => {
      while (!controls.isCancelled()) await pause(20);
      return {};
    };
    const worker = startWorker({
      sql,
      executor,
      pollIntervalMs: 20,
      heartbeatMs: 30,
      heartbeatUrl: database().connectionUrl,
    });
    try {
      await waitForRun(sql, queued.id, (run) => run.status === "running");
      await requestRunCancel(sql, queued.id);
      const ended = await waitForRun(sql, queued.id, (run) => run.status !== "running");
      assert.equal(ended.status, "cancelled");
      assert.equal(ended.studyId, null);
    } finally {
      await worker.stop();
    }
  });

  test("a crashed worker's run is re-queued and finished by a live worker", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: { name: "survivor" } });
    assert.equal((await claimNextRun(sql, "crashed-worker"))?.id, queued.id);
    await sql`update runs set heartbeat_at = now() - interval '10 minutes' where id = ${queued.id}`;
    const worker = startWorker({ sql, executor: studyExecutor(), pollIntervalMs: 20, staleAfterMs: 60_000 });
    try {
      const ended = await waitForRun(sql, queued.id, (run) => run.status === "succeeded");
      assert.equal(ended.attempts, 2);
      assert.notEqual(ended.workerId, "crashed-worker");
      assert.ok(ended.studyId);
    } finally {
      await worker.stop();
    }
  });

  test("stopping a worker mid-run puts the run back in the queue", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: {} });
    const executor: RunExecutor = async (_run, controls) => {
      while (!controls.isCancelled()) await pause(20);
      throw new Error("interrupted");
    };
    const worker = startWorker({ sql, executor, pollIntervalMs: 20 });
    await waitForRun(sql, queued.id, (run) => run.status === "running");
    await worker.stop();
    const released = await findRun(sql, queued.id);
    assert.equal(released?.status, "queued");
    assert.equal(released?.workerId, null);
    await requestRunCancel(sql, queued.id);
  });

  test("a worker that lost its run (re-queued as stale) discards its results; the run stores one study", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: { name: "slow worker" } });
    let release: (() => void) | undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: RunExecutor = async (run) => {
      await blocked;
      return {
        store: (tx) => insertStudy(tx, sampleStudy({ name: "from the slow worker", features: 4 }), { runId: run.id }),
      };
    };
    const slowRun = runNextJob({ sql, executor: slow, workerId: "slow", heartbeatMs: 60_000 });
    await waitForRun(sql, queued.id, (run) => run.status === "running" && run.workerId === "slow");
    await sql`update runs set heartbeat_at = now() - interval '10 minutes' where id = ${queued.id}`;
    assert.equal(await requeueStaleRuns(sql, { staleAfterMs: 60_000, maxAttempts: 3 }), 1);
    const finished = await runNextJob({ sql, executor: studyExecutor(), workerId: "fast" });
    assert.equal(finished?.status, "succeeded");
    release?.();
    assert.equal(await slowRun, undefined);
    const stored = await sql<{ name: string }[]>`select name from studies where run_id = ${queued.id}`;
    assert.deepEqual(
      stored.map((s) => s.name),
      ["slow worker"],
    );
    const run = await findRun(sql, queued.id);
    assert.equal(run?.workerId, "fast");
  });

  test("a second study for the same run is refused by the database", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: {} });
    await sql.begin((tx) => insertStudy(tx, sampleStudy({ features: 2 }), { runId: queued.id }));
    await assert.rejects(
      sql.begin((tx) => insertStudy(tx, sampleStudy({ features: 2 }), { runId: queued.id })),
      /unique|duplicate/i,
    );
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from studies where run_id = ${queued.id}`;
    assert.equal(count?.n, 1);
    await requestRunCancel(sql, queued.id);
  });
});
