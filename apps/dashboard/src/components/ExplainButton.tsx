"use client";

import { ExplainFeaturesDocument } from "@interlace/schema";
import { useState } from "react";
import { useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";

/** Queues an explain run for one feature (shown to token holders; the server checks the role). */
export function ExplainButton({ studyId, index }: { studyId: string; index: number }) {
  const [{ fetching }, explain] = useMutation(ExplainFeaturesDocument);
  const [note, setNote] = useState<{ ok: boolean; text: string } | undefined>(undefined);

  async function click() {
    setNote(undefined);
    const result = await explain({ studyId, indices: [index] });
    if (result.error) {
      setNote({ ok: false, text: describeFailure(result.error, PROXY_LABEL) });
      return;
    }
    setNote({
      ok: true,
      text: `Run ${result.data?.explainFeatures.id ?? ""} queued; reload when it is done.`,
    });
  }

  return (
    <div className="explain-action">
      <button type="button" onClick={click} disabled={fetching} data-testid="explain-button">
        {fetching ? "Queuing…" : "Explain with Claude"}
      </button>
      {note ? (
        <p className={note.ok ? "ok-text" : "error-text"} role={note.ok ? "status" : "alert"}>
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
