// Run status helpers and validation of the Request-a-run form.
import type { RunStatus, StudyRunInput } from "@interlace/schema";

export const RUN_POLL_MS = 2000;

/** How many of the newest runs the runs list shows. */
export const RUNS_LISTED = 20;

export function isActiveRun(status: RunStatus): boolean {
  return status === "QUEUED" || status === "RUNNING";
}

export type RunFormOutcome = { ok: true; input: StudyRunInput } | { ok: false; message: string };

interface FieldSource {
  get(name: string): unknown;
}

function text(form: FieldSource, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

function positiveInteger(form: FieldSource, name: string, label: string, minimum: number): number | string {
  const raw = text(form, name);
  const value = Number(raw);
  if (raw === "" || !Number.isInteger(value) || value < minimum) {
    return `${label} must be a whole number ≥ ${minimum} (got "${raw}").`;
  }
  return value;
}

export function parseRunForm(form: FieldSource): RunFormOutcome {
  const name = text(form, "name");
  const model = text(form, "model");
  if (name === "") return { ok: false, message: "Name is empty: give the study a name." };
  if (model === "") return { ok: false, message: "Model is empty: give a local model directory or a Hugging Face id." };
  const numbers = {
    layer: positiveInteger(form, "layer", "Layer", 0),
    tokens: positiveInteger(form, "tokens", "Tokens", 1),
    dSae: positiveInteger(form, "dSae", "SAE width", 1),
    nfmK: positiveInteger(form, "nfmK", "NFM K", 1),
  };
  for (const value of Object.values(numbers)) if (typeof value === "string") return { ok: false, message: value };
  return {
    ok: true,
    input: {
      name,
      model,
      layer: numbers.layer as number,
      tokens: numbers.tokens as number,
      dSae: numbers.dSae as number,
      nfmK: numbers.nfmK as number,
    },
  };
}

/** "2 explained, 1 failed (#8)" for an explain run's per-feature outcomes; empty for none. */
export function describeFeatureOutcomes(outcomes: readonly { featureIndex: number; status: string }[]): string {
  const order = ["explained", "failed", "skipped"];
  const parts: string[] = [];
  for (const status of order) {
    const of = outcomes.filter((o) => o.status === status).map((o) => o.featureIndex);
    if (of.length === 0) continue;
    const which = status === "explained" ? "" : ` (${of.map((i) => `#${i}`).join(", ")})`;
    parts.push(`${of.length} ${status}${which}`);
  }
  return parts.length === 0 ? "" : `features: ${parts.join(", ")}`;
}
