"use client";

import { type RunDetailFragment, RunDocument } from "@interlace/schema";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { isActiveRun, RUN_POLL_MS } from "./runs";
import { useLiveEvents } from "./use-live-events";

/** How a run view learns about changes: live events, polling after the live connection failed, or nothing (done). */
export type RunFeed = "live" | "polling" | "idle";

/**
 * A run kept current: live through the dashboard's server-sent events of the API's runProgress subscription, and by
 * polling the run query every RUN_POLL_MS when the live connection cannot be opened or breaks.
 */
export function useRunProgress(initial: RunDetailFragment): { run: RunDetailFragment; feed: RunFeed } {
  const [run, setRun] = useState(initial);
  const active = isActiveRun(run.status);
  const live = useLiveEvents(`/runs/${encodeURIComponent(initial.id)}/events`, active, setRun);

  const [{ data }, refetch] = useQuery({ query: RunDocument, variables: { id: initial.id }, pause: live || !active });
  useEffect(() => {
    if (live || !active) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [live, active, refetch]);
  useEffect(() => {
    if (data?.run) setRun(data.run);
  }, [data]);

  return { run, feed: !active ? "idle" : live ? "live" : "polling" };
}
