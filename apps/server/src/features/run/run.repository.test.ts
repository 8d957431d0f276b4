import assert from "node:assert/strict";
import { before, test } from "node:test";
import { migrate } from "../../db/migrate.js";
import { sampleStudy } from "../../testing/sample-study.js";
import { describeOnEachDatabase } from "../../testing/test-databases.js";
import { insertStudy } from "../study/study.repository.js";
import {
  claimNextRun,
  completeRun,
  enqueueRun,
  findRun,
  finishRun,
  heartbeatRun,
  listRuns,
  reportRunProgress,
  requestRunCancel,
  requeueStaleRuns,
} from "./run.repository.js";

describeOnEachDatabase("run queue repository", (database) => {
  before(async () => {
    await migrate(database().sql);
  });

  test("runs are claimed oldest first, once, and finish with their study", async () => {
    const { sql } = database();
    const first = await enqueueRun(sql, { kind: "study", params: { name: "one", layer: 3 } });
    const second = await enqueueRun(sql, { kind: "study", params: { name: "two" } });
    assert.equal(first.status, "queued");
    assert.deepEqual(first.params, { name: "one", layer: 3 });

    const [claimA, claimB, claimC] = await Promise.all([
      claimNextRun(sql, "worker-a"),
      claimNextRun(sql, "worker-b"),
      claimNextRun(sql, "worker-c"),
    ]);
    const claimed = [claimA, claimB, claimC].filter((run) => run !== undefined);
    assert.deepEqual(claimed.map((run) => run.id).sort(), [first.id, second.id].sort());
    const mine = claimed.find((run) => run.id === first.id);
    assert.ok(mine?.workerId);
    assert.equal(mine.status, "running");
    assert.equal(mine.attempts, 1);

    assert.deepEqual(
      await reportRunProgress(sql, first.id, mine.workerId, {
        progress: 0.25,
        message: "harvesting",
        stage: "harvest",
      }),
      {
        cancelRequested: false,
      },
    );
    assert.equal(await reportRunProgress(sql, first.id, "someone-else", { progress: 0.5, message: "x" }), undefined);
    const progressed = await findRun(sql, first.id);
    assert.equal(progressed?.progress, 0.25);
    assert.equal(progressed?.message, "harvesting");
    assert.equal(progressed?.stage, "harvest");
    assert.deepEqual(progressed?.log, ["harvesting"]);

    let studyId: string | undefined;
    const done = await completeRun(sql, first.id, mine.workerId, async (tx) => {
      studyId = await insertStudy(tx, sampleStudy({ features: 3 }), { runId: first.id });
      return studyId;
    });
    assert.equal(done?.status, "succeeded");
    assert.ok(studyId);
    assert.equal(done?.studyId, studyId);
    assert.equal(done?.progress, 1);
    assert.ok(done?.finishedAt instanceof Date);
    assert.equal(await finishRun(sql, first.id, mine.workerId, { status: "failed", error: "late" }), undefined);

    const other = claimed.find((run) => run.id === second.id);
    assert.ok(other?.workerId);
    const failed = await finishRun(sql, second.id, other.workerId, { status: "failed", error: "boom" });
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.error, "boom");

    const listed = await listRuns(sql, 10);
    assert.ok(listed.findIndex((run) => run.id === second.id) < listed.findIndex((run) => run.id === first.id));
  });

  test("cancelling a queued run ends it; a running run is flagged for its worker; finished runs stay", async () => {
    const { sql } = database();
    const queued = await enqueueRun(sql, { kind: "study", params: {} });
    const cancelled = await requestRunCancel(sql, queued.id);
    assert.equal(cancelled?.status, "cancelled");
    assert.equal(await claimNextRun(sql, "w"), undefined);

    const running = await enqueueRun(sql, { kind: "study", params: {} });
    assert.equal((await claimNextRun(sql, "w"))?.id, running.id);
    const flagged = await requestRunCancel(sql, running.id);
    assert.equal(flagged?.status, "running");
    assert.equal(flagged?.cancelRequested, true);
    assert.deepEqual(await heartbeatRun(sql, running.id, "w"), { cancelRequested: true });
    assert.equal((await finishRun(sql, running.id, "w", { status: "cancelled" }))?.status, "cancelled");
    assert.equal((await requestRunCancel(sql, running.id))?.status, "cancelled");
    assert.equal(await requestRunCancel(sql, "00000000-0000-0000-0000-000000000000"), undefined);
  });

  test("runs of a worker that stopped heart-beating are re-queued, then failed after max attempts", async () => {
    const { sql } = database();
    const run = await enqueueRun(sql, { kind: "study", params: {} });
    assert.equal((await claimNextRun(sql, "crashed"))?.id, run.id);
    assert.equal(await requeueStaleRuns(sql, { staleAfterMs: 60_000, maxAttempts: 2 }), 0);
    await sql`update runs set heartbeat_at = now() - interval '2 minutes' where id = ${run.id}`;
    assert.equal(await requeueStaleRuns(sql, { staleAfterMs: 60_000, maxAttempts: 2 }), 1);
    const requeued = await findRun(sql, run.id);
    assert.equal(requeued?.status, "queued");
    assert.equal(requeued?.workerId, null);
    assert.equal(await heartbeatRun(sql, run.id, "crashed"), undefined);

    assert.equal((await claimNextRun(sql, "crashed-again"))?.attempts, 2);
    await sql`update runs set heartbeat_at = now() - interval '2 minutes' where id = ${run.id}`;
    assert.equal(await requeueStaleRuns(sql, { staleAfterMs: 60_000, maxAttempts: 2 }), 1);
    const failed = await findRun(sql, run.id);
    assert.equal(failed?.status, "failed");
    assert.match(failed?.error ?? "", /stopped responding on each of 2 attempts/);
  });
});
