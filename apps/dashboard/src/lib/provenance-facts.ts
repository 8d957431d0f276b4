// The provenance of a study's report as labelled facts.
import type { ProvenanceFieldsFragment } from "@interlace/schema";

export interface ProvenanceFact {
  label: string;
  value: string;
  /** Shown in a monospace font (hooks, commits). */
  mono: boolean;
}

export function provenanceFacts(p: ProvenanceFieldsFragment): ProvenanceFact[] {
  const facts: [label: string, value: string | null, mono?: boolean][] = [
    ["Model", p.model],
    ["Hook", p.hook, true],
    ["Tokens", p.tokens.toLocaleString("en-US")],
    ["Seeds", p.seeds.join(", ")],
    ["Backend", p.backend],
    ["SAE", p.saeSource],
    ["Interlace version", p.packageVersion],
    ["Git commit", p.gitCommit, true],
    ["Run time (s)", p.seconds.toLocaleString("en-US")],
    ["Created", p.createdAt],
  ];
  return facts.flatMap(([label, value, mono]) => (value ? [{ label, value, mono: mono === true }] : []));
}
