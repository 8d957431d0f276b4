"use client";

import { CancelRunDocument, RetryRunDocument, type RunDetailFragment } from "@interlace/schema";
import Link from "next/link";
import { useState } from "react";
import { useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { formatDate, formatPercent } from "../lib/format";
import { isActiveRun } from "../lib/runs";
import { useRunProgress } from "../lib/use-run-progress";
import { SIGN_IN_REASON } from "./RunsSection";

const FEED_LABEL = { live: "live", polling: `updated every few seconds`, idle: "finished" } as const;

/** One run, kept current: progress, stage, attempts, the error as the server states it, and its log tail. */
export function RunDetails({ initial, canAct }: { initial: RunDetailFragment; canAct: boolean }) {
  const { run, feed } = useRunProgress(initial);
  const [cancelState, cancelRun] = useMutation(CancelRunDocument);
  const [retryState, retryRun] = useMutation(RetryRunDocument);
  const [retried, setRetried] = useState(false);
  const failure = cancelState.error ?? retryState.error;
  const status = run.status.toLowerCase();
  return (
    <>
      <div className="panel" data-testid="run-details" data-status={run.status}>
        <p>
          <span className={`status status-${status}`}>{status}</span>{" "}
          <span className="muted" data-testid="run-feed">
            ({FEED_LABEL[feed]})
          </span>
        </p>
        <p>
          <progress max={1} value={run.progress} aria-label="run progress" /> {formatPercent(run.progress, 0)}
        </p>
        <dl className="facts">
          <dt>Stage</dt>
          <dd data-testid="run-stage">{run.stage ?? "—"}</dd>
          <dt>Now</dt>
          <dd>{run.message ?? "—"}</dd>
          <dt>Kind</dt>
          <dd className="mono">{run.kind}</dd>
          <dt>Attempts</dt>
          <dd>{run.attempts}</dd>
          <dt>Requested</dt>
          <dd>{formatDate(run.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatDate(run.updatedAt)}</dd>
        </dl>
        {run.error ? (
          <p className="error-text" role="alert" data-testid="run-error">
            {run.error}
          </p>
        ) : null}
        {run.studyId ? (
          <p>
            <Link href={`/studies/${encodeURIComponent(run.studyId)}`}>Open the study</Link>
          </p>
        ) : null}
        {canAct && isActiveRun(run.status) ? (
          <button type="button" className="button-secondary" onClick={() => cancelRun({ id: run.id })}>
            Cancel
          </button>
        ) : null}
        {canAct && (run.status === "FAILED" || run.status === "CANCELLED") && !retried ? (
          <button
            type="button"
            onClick={async () => {
              const result = await retryRun({ id: run.id });
              if (!result.error) setRetried(true);
            }}
          >
            Retry
          </button>
        ) : null}
        {retried ? <p className="muted">Queued again; reload to follow it.</p> : null}
        {!canAct ? <p className="muted">{SIGN_IN_REASON}</p> : null}
        {failure ? (
          <p className="error-text" role="alert">
            {describeFailure(failure, PROXY_LABEL)}
          </p>
        ) : null}
      </div>
      <section className="panel" aria-labelledby="log-heading">
        <h2 id="log-heading">Log (newest last)</h2>
        {run.log.length === 0 ? (
          <p className="muted">Nothing logged yet.</p>
        ) : (
          <pre className="log-tail" data-testid="run-log">
            {run.log.join("\n")}
          </pre>
        )}
      </section>
    </>
  );
}
