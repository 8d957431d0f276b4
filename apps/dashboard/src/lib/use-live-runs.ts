"use client";

import { type RunRowFragment, RunsDocument } from "@interlace/schema";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { isActiveRun, RUN_POLL_MS, RUNS_LISTED } from "./runs";
import { useLiveEvents } from "./use-live-events";
import type { RunFeed } from "./use-run-progress";

/**
 * The newest RUNS_LISTED runs kept current: live through the dashboard's server-sent events of the API's runsChanged
 * subscription (a run requested elsewhere appears too), and by polling the runs query every RUN_POLL_MS while a run
 * is active when the live connection cannot be opened or breaks. `enabled` false waits (before the page mounted).
 */
export function useLiveRuns(enabled: boolean) {
  const [latest, setLatest] = useState<RunRowFragment[] | null>(null);
  const live = useLiveEvents<RunRowFragment[]>("/runs/events", enabled, setLatest);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: RunsDocument,
    variables: { first: RUNS_LISTED },
    pause: !enabled,
  });
  // Whichever answer arrived last is shown: the query's (first load, polling, after a request) or the stream's.
  useEffect(() => {
    if (data?.runs) setLatest(data.runs);
  }, [data]);
  const runs = latest ?? data?.runs;
  const anyActive = (runs ?? []).some((run) => isActiveRun(run.status));

  useEffect(() => {
    if (live || !anyActive) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [live, anyActive, refetch]);

  const feed: RunFeed = live ? "live" : anyActive ? "polling" : "idle";
  return { runs, feed, error, fetching, refetch };
}
