// The provenance of report.json as labelled facts, plus the study's settings.
import { asRecord, asString } from "./json-fields";
import type { Provenance } from "./report-types";

const PROVENANCE_LABELS: [key: string, label: string][] = [
  ["model", "Model"],
  ["hook", "Hook"],
  ["tokens", "Tokens"],
  ["seeds", "Seeds"],
  ["backend", "Backend"],
  ["sae_source", "SAE"],
  ["package_version", "Interlace version"],
  ["git_commit", "Git commit"],
  ["seconds", "Run time (s)"],
  ["created_at", "Created"],
];

function factValue(value: unknown): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? value.toLocaleString("en-US") : null;
  if (typeof value === "string") return asString(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value) && value.every((item) => typeof item === "number" || typeof item === "string")) {
    return value.length > 0 ? value.join(", ") : null;
  }
  return null;
}

export function parseProvenance(value: unknown): Provenance | null {
  const record = asRecord(value);
  if (!record) return null;
  const facts = PROVENANCE_LABELS.flatMap(([key, label]) => {
    const text = factValue(record[key]);
    return text === null ? [] : [{ key, label, value: text }];
  });
  return { facts, configs: asRecord(record["configs"]) };
}
