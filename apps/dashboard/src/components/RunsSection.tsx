"use client";

import { CancelRunDocument, RunsDocument } from "@interlace/schema";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { formatDate, formatPercent } from "../lib/format";
import { describeFeatureOutcomes, isActiveRun, RUN_POLL_MS } from "../lib/runs";
import { RequestRunForm } from "./RequestRunForm";

/** Why the run actions are hidden without a token. */
export const SIGN_IN_REASON =
  "Requesting and cancelling runs needs a token: sign in above with one an admin creates on the server's machine (`interlace token create --role analyst --name NAME`).";

/** Requested runs with live status and progress, and (signed in) the form that requests a new one and Cancel. */
export function RunsSection({ canAct }: { canAct: boolean }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: RunsDocument,
    variables: { first: 20 },
    pause: !mounted,
  });
  const [, cancelRun] = useMutation(CancelRunDocument);
  const runs = data?.runs ?? [];
  const anyActive = runs.some((run) => isActiveRun(run.status));

  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive, refetch]);

  return (
    <section className="panel" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
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
      {!mounted || (fetching && !data) ? <p className="muted">Loading runs…</p> : null}
      {data && runs.length === 0 ? <p className="muted">No runs requested yet.</p> : null}
      {runs.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
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
                <tr key={run.id} data-testid="run-row" data-status={run.status}>
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
