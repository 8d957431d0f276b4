/** The report's model sections and gains assembled from the evidence tables, so no list of names is repeated. */
import type { Estimate } from "../stats/bootstrap.js";
import { GAINS, type GainEntry, MODELS, type ModelGroup } from "./evidence-tables.js";
import type { GainSection, ModelReport, ModelSection, ResidualSaeReport, StudyReport } from "./report-types.js";

export type ModelTableEntry = (typeof MODELS)[number];

/** Pass the residual SAE's report (or null) for its entry and a ModelReport for every other entry. */
export type FitOfEntry = (entry: ModelTableEntry) => ModelReport | ResidualSaeReport | null;

function section<G extends ModelGroup>(group: G, fitOf: FitOfEntry): ModelSection<G> {
  const entries = MODELS.filter((entry) => entry.group === group);
  return Object.fromEntries(entries.map((entry) => [entry.name, fitOf(entry)])) as ModelSection<G>;
}

/** `nfm` and `controls`, each model under its name, in table order. */
export function modelSections(fitOf: FitOfEntry): { nfm: ModelSection<"nfm">; controls: ModelSection<"controls"> } {
  return { nfm: section("nfm", fitOf), controls: section("controls", fitOf) };
}

/** Every gain under its name, in table order. */
export function gainSection(gainOf: (entry: GainEntry & { name: keyof GainSection }) => Estimate | null): GainSection {
  return Object.fromEntries(GAINS.map((entry) => [entry.name, gainOf(entry)])) as GainSection;
}

/** A model's report from its section (null: the study skipped it). */
export function fitOf(report: Pick<StudyReport, "nfm" | "controls">, entry: ModelTableEntry): ModelReport | null {
  const section: Record<string, ModelReport | null> = report[entry.group];
  return section[entry.name] ?? null;
}
