"use client";

import { RequestStudyRunDocument } from "@interlace/schema";
import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { parseRunForm } from "../lib/runs";

export function RequestRunForm({ onRequested }: { onRequested: () => void }) {
  const [{ fetching }, requestRun] = useMutation(RequestStudyRunDocument);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [queued, setQueued] = useState<string | undefined>(undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQueued(undefined);
    const parsed = parseRunForm(new FormData(event.currentTarget));
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(undefined);
    const result = await requestRun({ input: parsed.input });
    if (result.error) {
      setProblem(describeFailure(result.error, PROXY_LABEL));
      return;
    }
    setQueued(`Run ${result.data?.requestStudyRun.id ?? ""} queued.`);
    onRequested();
  }

  return (
    <form className="run-form" onSubmit={submit} data-testid="request-run-form">
      <h3>Request a run</h3>
      <div className="form-grid">
        <label>
          Name
          <input name="name" required placeholder="sotu layer 3" />
        </label>
        <label>
          Model (Hugging Face id, or a folder under the server's model roots)
          <input name="model" required placeholder="org/name or my-model" />
        </label>
        <label>
          Layer
          <input name="layer" type="number" min={0} step={1} required defaultValue={3} />
        </label>
        <label>
          Tokens
          <input name="tokens" type="number" min={1} step={1} defaultValue={20000} />
        </label>
        <label>
          SAE width
          <input name="dSae" type="number" min={1} step={1} defaultValue={256} />
        </label>
        <label>
          NFM K
          <input name="nfmK" type="number" min={1} step={1} defaultValue={16} />
        </label>
      </div>
      <button type="submit" disabled={fetching}>
        {fetching ? "Requesting…" : "Request run"}
      </button>
      {problem ? (
        <p className="error-text" role="alert">
          {problem}
        </p>
      ) : null}
      {queued ? <p className="ok-text">{queued}</p> : null}
    </form>
  );
}
