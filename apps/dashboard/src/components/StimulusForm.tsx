"use client";

import { StartStimulusAnalysisDocument, StimulusDemoDesignDocument } from "@interlace/schema";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useClient, useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import {
  CELLS,
  type Cell,
  cellLabel,
  type DesignFields,
  EMPTY_FIELDS,
  fieldsOfDesign,
  MIN_PROMPTS,
  parseDesignFields,
  promptLines,
  READOUTS,
} from "../lib/stimulus-form";

const READOUT_LABEL: Record<string, string> = {
  last: "last token",
  max: "max over the prompt's tokens",
  mean: "mean over the prompt's tokens",
};

/** The 2×2 design form: factors, four prompt lists, token readout, targets; checked here, then by the server. */
export function StimulusForm({ studyId }: { studyId: string }) {
  const router = useRouter();
  const client = useClient();
  const [fields, setFields] = useState<DesignFields>(EMPTY_FIELDS);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);
  const [{ fetching }, start] = useMutation(StartStimulusAnalysisDocument);

  const set = (key: keyof DesignFields) => (event: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: event.target.value }));
  const setPrompts = (cell: Cell) => (event: { target: { value: string } }) =>
    setFields((f) => ({ ...f, prompts: { ...f.prompts, [cell]: event.target.value } }));

  async function loadDemo() {
    const result = await client.query(StimulusDemoDesignDocument, {}).toPromise();
    const demo = fieldsOfDesign(result.data?.stimulusDemoDesign);
    if (!demo) {
      setProblem({
        field: "design",
        message: result.error ? describeFailure(result.error, PROXY_LABEL) : "No demo design.",
      });
      return;
    }
    setProblem(null);
    setFields(demo);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseDesignFields(fields);
    if (!parsed.ok) {
      setProblem({ field: parsed.field, message: parsed.message });
      return;
    }
    setProblem(null);
    const result = await start({
      input: { studyId, design: parsed.design, measure: parsed.measure, anovaType: parsed.anovaType },
    });
    if (result.error || !result.data) {
      setProblem({
        field: "server",
        message: result.error ? describeFailure(result.error, PROXY_LABEL) : "No answer.",
      });
      return;
    }
    router.push(
      `/studies/${encodeURIComponent(studyId)}/stimulus/${encodeURIComponent(result.data.startStimulusAnalysis.id)}`,
    );
  }

  const invalid = (field: string) => (problem?.field === field ? true : undefined);
  return (
    <form className="run-form stimulus-form" onSubmit={submit} noValidate data-testid="stimulus-form">
      <p>
        <button type="button" className="button-secondary" onClick={loadDemo} data-testid="load-demo">
          Use the demo design
        </button>{" "}
        <span className="muted">(Mexico × war on the State of the Union vocabulary)</span>
      </p>
      <div className="form-grid">
        <label>
          Analysis name
          <input name="name" value={fields.name} onChange={set("name")} aria-invalid={invalid("name")} />
        </label>
        <label>
          Factor A
          <input
            name="aName"
            value={fields.aName}
            onChange={set("aName")}
            placeholder="place"
            aria-invalid={invalid("aName")}
          />
        </label>
        <label>
          A absent
          <input name="aAbsent" value={fields.aAbsent} onChange={set("aAbsent")} aria-invalid={invalid("aAbsent")} />
        </label>
        <label>
          A present
          <input
            name="aPresent"
            value={fields.aPresent}
            onChange={set("aPresent")}
            placeholder="Mexico"
            aria-invalid={invalid("aPresent")}
          />
        </label>
        <label>
          Factor B
          <input
            name="bName"
            value={fields.bName}
            onChange={set("bName")}
            placeholder="topic"
            aria-invalid={invalid("bName")}
          />
        </label>
        <label>
          B absent
          <input name="bAbsent" value={fields.bAbsent} onChange={set("bAbsent")} aria-invalid={invalid("bAbsent")} />
        </label>
        <label>
          B present
          <input
            name="bPresent"
            value={fields.bPresent}
            onChange={set("bPresent")}
            placeholder="war"
            aria-invalid={invalid("bPresent")}
          />
        </label>
        <label>
          Tokens read
          <select name="readout" value={fields.readout} onChange={set("readout")}>
            {READOUTS.map((r) => (
              <option key={r} value={r}>
                {READOUT_LABEL[r]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">
        One prompt per line, at least {MIN_PROMPTS} per cell. Mark a span as [[like this]] to read only its tokens.
      </p>
      <div className="prompt-grid">
        {CELLS.map((cell) => (
          <label key={cell}>
            {cellLabel(cell, fields)} — {promptLines(fields.prompts[cell]).length} prompts
            <textarea
              name={`prompts.${cell}`}
              rows={7}
              value={fields.prompts[cell]}
              onChange={setPrompts(cell)}
              aria-invalid={invalid(`prompts.${cell}`)}
              data-testid={`prompts-${cell}`}
            />
          </label>
        ))}
      </div>
      <div className="form-grid">
        <label>
          Target features (optional; discovery runs either way)
          <input
            name="targets"
            value={fields.targets}
            onChange={set("targets")}
            placeholder="12, 40"
            aria-invalid={invalid("targets")}
          />
        </label>
        <label>
          Measure for the plot and the ANOVA
          <input name="measure" value={fields.measure} onChange={set("measure")} aria-invalid={invalid("measure")} />
        </label>
        <label>
          ANOVA type
          <select name="anovaType" value={fields.anovaType} onChange={set("anovaType")}>
            <option value="2">II</option>
            <option value="3">III (sum-to-zero contrasts)</option>
          </select>
        </label>
      </div>
      <button type="submit" disabled={fetching}>
        {fetching ? "Starting…" : "Start analysis"}
      </button>
      {problem ? (
        <p className="error-text" role="alert" data-field={problem.field} data-testid="stimulus-form-problem">
          {problem.message}
        </p>
      ) : null}
    </form>
  );
}
