"use client";

import { CancelRunDocument } from "@interlace/schema";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { formatDate, formatPercent } from "../lib/format";
import { describeFeatureOutcomes, isActiveRun } from "../lib/runs";
import { useLiveRuns } from "../lib/use-live-runs";
import { RequestRunForm } from "./RequestRunForm";

/** Why the run actions are hidden without a token. */
export const SIGN_IN_REASON =
  "Requesting and cancelling runs needs a token: sign in above with one an admin creates on the server's machine (`interlace token create --role analyst --name NAME`).";

/** How the list is kept current, as its heading says it (nothing when it waits for no run). */
const FEED_LABEL = { live: "live", polling: "updated every few seconds", idle: null } as const;

/** Requested runs with live status and progress, and (signed in) the form that requests a new one and Cancel. */
export function RunsSection({ canAct }: { canAct: boolean }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const { runs: listed, feed, error, fetching, refetch } = useLiveRuns(mounted);
  const [, cancelRun] = useMutation(CancelRunDocument);
  const runs = listed ?? [];
  const label = FEED_LABEL[feed];

  return (
    <section className="panel" aria-labelledby="runs-heading">
      <h2 id="runs-heading">
        Runs{" "}
        {label ? (
          <span className="muted" data-testid="runs-feed">
            ({label})
          </span>
        ) : null}
      </h2>
      {canAct ? (
        <RequestRunForm onRequested={() => refetch({ requestPolicy: "network-only" })} />
      ) : (
        <p className="muted" data-testid="actions-reason">
          {SIGN_IN_REASON}
        </p>
      )}
      {error ? (
        <p className="error-text" role="alert">
          {describeFailure(error, PROXY_LABEL)}
        </p>
      ) : null}
      {!mounted || (fetching && !listed) ? <p className="muted">Loading runs…</p> : null}
      {listed && runs.length === 0 ? <p className="muted">No runs requested yet.</p> : null}
      {runs.length > 0 ? (
        <div className="table-scroll">
          <table className="table runs-table">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Message</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-status={run.status}>
                  <td>
                    <Link href={`/runs/${encodeURIComponent(run.id)}`}>{formatDate(run.createdAt)}</Link>
                    <br />
                    <span className="muted mono">{run.kind}</span>
                  </td>
                  <td>
                    <span className={`status status-${run.status.toLowerCase()}`}>{run.status.toLowerCase()}</span>
                  </td>
                  <td>
                    <progress max={1} value={run.progress} aria-label={`run ${run.id} progress`} />{" "}
                    {formatPercent(run.progress, 0)}
                  </td>
                  <td>
                    {run.error ?? run.message ?? ""}
                    {run.featureOutcomes.length > 0 ? (
                      <span className="muted" data-testid="run-feature-outcomes">
                        {" "}
                        {describeFeatureOutcomes(run.featureOutcomes)}
                      </span>
                    ) : null}
                    {run.studyId ? (
                      <>
                        {" "}
                        <Link href={`/studies/${encodeURIComponent(run.studyId)}`}>Open study</Link>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {canAct && isActiveRun(run.status) ? (
                      <button type="button" className="button-secondary" onClick={() => cancelRun({ id: run.id })}>
                        Cancel
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
