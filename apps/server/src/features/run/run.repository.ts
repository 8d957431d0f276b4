import type postgres from "postgres";
import type { Sql, SqlOrTransaction } from "../../db/sql.js";

export type RunState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface RunRow {
  id: string;
  kind: string;
  status: RunState;
  params: Record<string, unknown>;
  progress: number;
  message: string | null;
  /** What the run is doing now, e.g. "harvest", "sae", "train-lm". */
  stage: string | null;
  /** The newest messages, oldest first (at most LOG_TAIL). */
  log: string[];
  error: string | null;
  studyId: string | null;
  cancelRequested: boolean;
  attempts: number;
  workerId: string | null;
  heartbeatAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type RunOutcome = { status: "failed"; error: string } | { status: "cancelled" };

/** Stores a run's results inside the transaction that marks it succeeded; resolves with the study it made, if any. */
export type StoreResults = (tx: postgres.TransactionSql) => Promise<string | undefined>;

/** Messages kept in a run's log tail. */
export const LOG_TAIL = 50;

const runColumns = (sql: SqlOrTransaction) => sql`
  id, kind, status, params, progress, message, stage, log, error, study_id as "studyId", cancel_requested as "cancelRequested",
  attempts, worker_id as "workerId", heartbeat_at as "heartbeatAt", created_at as "createdAt",
  updated_at as "updatedAt", started_at as "startedAt", finished_at as "finishedAt"`;

export async function enqueueRun(
  sql: SqlOrTransaction,
  run: { kind: string; params: Record<string, unknown> },
): Promise<RunRow> {
  const [row] = await sql<RunRow[]>`
    insert into runs (kind, params) values (${run.kind}, ${JSON.stringify(run.params)}::text::jsonb)
    returning ${runColumns(sql)}`;
  if (!row) throw new Error("inserting the run returned no row");
  return row;
}

export async function findRun(sql: SqlOrTransaction, id: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`select ${runColumns(sql)} from runs where id = ${id}`;
  return row;
}

/** Newest first. */
export function listRuns(sql: SqlOrTransaction, limit: number): Promise<RunRow[]> {
  return sql<RunRow[]>`select ${runColumns(sql)} from runs order by created_at desc, id desc limit ${limit}`;
}

/** Atomically takes the oldest queued run for `workerId` (concurrent workers skip each other's locked rows). */
export async function claimNextRun(sql: SqlOrTransaction, workerId: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update runs set status = 'running', worker_id = ${workerId}, heartbeat_at = now(), started_at = now(),
      updated_at = now(), attempts = attempts + 1, progress = 0, message = null, error = null
    where id = (
      select id from runs where status = 'queued' order by created_at, id
      for update skip locked limit 1
    )
    returning ${runColumns(sql)}`;
  return row;
}

/**
 * Records progress (0..1), a message (appended to the log tail when it changed), the stage and a heartbeat for a run
 * this worker holds. Returns whether cancellation was requested, or undefined when the worker no longer holds the run.
 */
export async function reportRunProgress(
  sql: SqlOrTransaction,
  id: string,
  workerId: string,
  report: { progress: number; message: string | null; stage?: string | null | undefined },
): Promise<{ cancelRequested: boolean } | undefined> {
  const { message } = report;
  const [row] = await sql<{ cancelRequested: boolean }[]>`
    update runs set progress = ${Math.min(1, Math.max(0, report.progress))}, message = ${message},
      stage = coalesce(${report.stage ?? null}, stage),
      log = case when ${message}::text is null or ${message}::text is not distinct from message then log
        else (array_append(log, ${message}::text))[greatest(1, cardinality(log) + 2 - ${LOG_TAIL}):] end,
      heartbeat_at = now(), updated_at = now()
    where id = ${id} and worker_id = ${workerId} and status = 'running'
    returning cancel_requested as "cancelRequested"`;
  return row;
}

/** Marks a run this worker holds as alive; same answer as reportRunProgress. */
export async function heartbeatRun(
  sql: SqlOrTransaction,
  id: string,
  workerId: string,
): Promise<{ cancelRequested: boolean } | undefined> {
  const [row] = await sql<{ cancelRequested: boolean }[]>`
    update runs set heartbeat_at = now()
    where id = ${id} and worker_id = ${workerId} and status = 'running'
    returning cancel_requested as "cancelRequested"`;
  return row;
}

/** Ends a run this worker holds as failed or cancelled; returns undefined when it no longer holds it. */
export async function finishRun(
  sql: SqlOrTransaction,
  id: string,
  workerId: string,
  outcome: RunOutcome,
): Promise<RunRow | undefined> {
  const error = outcome.status === "failed" ? outcome.error : null;
  const [row] = await sql<RunRow[]>`
    update runs set status = ${outcome.status}, error = ${error},
      finished_at = now(), updated_at = now(), heartbeat_at = now()
    where id = ${id} and worker_id = ${workerId} and status = 'running'
    returning ${runColumns(sql)}`;
  return row;
}

/**
 * Marks a run this worker holds succeeded and stores its results in the same transaction. When the worker no longer
 * holds the run (it went stale and was re-queued, or was cancelled), nothing is stored and undefined is returned.
 */
export async function completeRun(
  sql: Sql,
  id: string,
  workerId: string,
  store: StoreResults | undefined,
): Promise<RunRow | undefined> {
  return sql.begin(async (tx) => {
    const [held] = await tx<{ id: string }[]>`
      update runs set status = 'succeeded', progress = 1, error = null,
        finished_at = now(), updated_at = now(), heartbeat_at = now()
      where id = ${id} and worker_id = ${workerId} and status = 'running'
      returning id`;
    if (!held) return undefined;
    const studyId = store ? await store(tx) : undefined;
    const [row] = await tx<RunRow[]>`
      update runs set study_id = coalesce(${studyId ?? null}::uuid, study_id) where id = ${id}
      returning ${runColumns(tx)}`;
    return row;
  });
}

/**
 * Asks a run to stop: a queued run is cancelled at once, a running one is flagged for its worker.
 * Finished runs are returned unchanged; undefined when no such run exists.
 */
export async function requestRunCancel(sql: SqlOrTransaction, id: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update runs set cancel_requested = true, updated_at = now(),
      status = case when status = 'queued' then 'cancelled' else status end,
      finished_at = case when status = 'queued' then now() else finished_at end
    where id = ${id} and status in ('queued', 'running')
    returning ${runColumns(sql)}`;
  return row ?? findRun(sql, id);
}

export interface StaleRunPolicy {
  /** A running run whose heartbeat is older than this is considered abandoned by a crashed worker. */
  staleAfterMs: number;
  /** Abandoned runs that already had this many attempts fail instead of being queued again. */
  maxAttempts: number;
}

/** Re-queues runs whose worker stopped heart-beating (cancelling those asked to stop); returns how many changed. */
export async function requeueStaleRuns(sql: SqlOrTransaction, policy: StaleRunPolicy): Promise<number> {
  const rows = await sql`
    update runs set
      status = case
        when cancel_requested then 'cancelled'
        when attempts >= ${policy.maxAttempts} then 'failed'
        else 'queued' end,
      error = case
        when not cancel_requested and attempts >= ${policy.maxAttempts}
        then 'its worker stopped responding on each of ' || attempts || ' attempts'
        else error end,
      message = case
        when not cancel_requested and attempts < ${policy.maxAttempts}
        then 're-queued: its worker stopped responding'
        else message end,
      finished_at = case when cancel_requested or attempts >= ${policy.maxAttempts} then now() else null end,
      worker_id = null, heartbeat_at = null, updated_at = now()
    where status = 'running' and heartbeat_at < now() - ${policy.staleAfterMs} * interval '1 millisecond'
    returning id`;
  return rows.length;
}

/** Queues a failed or cancelled run again from its start (its folder, if any, lets it resume); else undefined. */
export async function retryRun(sql: SqlOrTransaction, id: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update runs set status = 'queued', cancel_requested = false, error = null, attempts = 0, worker_id = null,
      heartbeat_at = null, finished_at = null, updated_at = now(), message = 're-queued by a user'
    where id = ${id} and status in ('failed', 'cancelled')
    returning ${runColumns(sql)}`;
  return row;
}

/**
 * Puts a run this worker holds back in the queue (the worker is shutting down; another will resume it). A clean
 * shutdown does not count as one of the run's attempts.
 */
export async function releaseRun(sql: SqlOrTransaction, id: string, workerId: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update runs set status = 'queued', worker_id = null, heartbeat_at = null, updated_at = now(),
      attempts = greatest(attempts - 1, 0), message = 're-queued: its worker shut down'
    where id = ${id} and worker_id = ${workerId} and status = 'running'
    returning ${runColumns(sql)}`;
  return row;
}
