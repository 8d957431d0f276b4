// Parses a study's report.json into display-ready evidence. Never throws: a missing or malformed part becomes null
// (or an empty list) so the page can show what is there and say what is not.
import {
  asBoolean,
  asEstimate,
  asInterval,
  asListOf,
  asNumber,
  asRecord,
  asString,
  asStringList,
  type JsonRecord,
} from "./json-fields";
import { GAIN_ENTRIES, zeroSide } from "./report-gains";
import { parseJoint } from "./report-joint";
import { MODEL_ENTRIES } from "./report-models";
import { parseProvenance } from "./report-provenance";
import type { CeLoss, GainRow, ModelResult, ModelRow, ResidualSaeSweep, StudyReport, Verdict } from "./report-types";

export type * from "./report-types";

/** The report as an object: the JSON scalar arrives parsed, but a report stored as a JSON string is accepted too. */
function reportRecord(json: unknown): JsonRecord | null {
  if (typeof json !== "string") return asRecord(json);
  try {
    return asRecord(JSON.parse(json));
  } catch {
    return null;
  }
}

function parseVerdict(value: unknown): Verdict | null {
  const record = asRecord(value);
  if (!record) return null;
  const verdict = { beatsAllControls: asBoolean(record["beats_all_controls"]), sentence: asString(record["sentence"]) };
  return verdict.beatsAllControls === null && verdict.sentence === null ? null : verdict;
}

function parseSeed(value: unknown): { seed: number; er: number } | null {
  const record = asRecord(value);
  const [seed, er] = [asNumber(record?.["seed"]), asNumber(record?.["er"])];
  return seed === null || er === null ? null : { seed, er };
}

function parseModelResult(value: unknown): ModelResult | null {
  const record = asRecord(value);
  const er = asNumber(record?.["er"]);
  if (!record || er === null) return null;
  return {
    er,
    ci95: asInterval(record["ci95"]),
    seeds: asListOf(record["seeds"], parseSeed),
    parameters: asNumber(record["parameters"]),
  };
}

function parseModels(report: JsonRecord): ModelRow[] {
  const sections = { nfm: asRecord(report["nfm"]), controls: asRecord(report["controls"]) };
  return MODEL_ENTRIES.map((entry) => ({
    ...entry,
    result: parseModelResult(sections[entry.group]?.[entry.key]),
  }));
}

function parseGains(report: JsonRecord): GainRow[] {
  return GAIN_ENTRIES.map((entry) => {
    const estimate = asEstimate(report[entry.key]);
    return { ...entry, estimate, zeroSide: estimate?.ci95 ? zeroSide(estimate.ci95) : null };
  });
}

function parseCeLoss(value: unknown): CeLoss | null {
  const record = asRecord(value);
  if (!record) return null;
  const ceLoss: CeLoss = {
    tokens: asNumber(record["tokens"]),
    withoutSae: asNumber(record["ce_loss_without_sae"]),
    withSae: asNumber(record["ce_loss_with_sae"]),
    withSaeNfm: asNumber(record["ce_loss_with_sae_nfm"]),
    scoreSae: asNumber(record["ce_loss_score_sae"]),
    scoreSaeNfm: asNumber(record["ce_loss_score_sae_nfm"]),
    gapRecoveredByNfm: asNumber(record["ce_gap_recovered_by_nfm"]),
  };
  const losses = [ceLoss.withoutSae, ceLoss.withSae, ceLoss.withSaeNfm, ceLoss.scoreSae, ceLoss.scoreSaeNfm];
  return [...losses, ceLoss.gapRecoveredByNfm].every((value) => value === null) ? null : ceLoss;
}

function parseSweepRow(value: unknown): ResidualSaeSweep["rows"][number] | null {
  const record = asRecord(value);
  const [l1, er] = [asNumber(record?.["l1"]), asNumber(record?.["er"])];
  if (!record || l1 === null || er === null) return null;
  return { l1, er, ci95: asInterval(record["ci95"]), l0: asNumber(record["l0"]) };
}

function parseResidualSaeSweep(report: JsonRecord): ResidualSaeSweep | null {
  const residualSae = asRecord(asRecord(report["controls"])?.["residual_sae"]);
  const rows = asListOf(residualSae?.["by_l1"], parseSweepRow).sort((a, b) => a.l1 - b.l1);
  if (!residualSae || rows.length === 0) return null;
  return { mainL1: asNumber(residualSae["l1"]), rows };
}

/** The evidence of a study's report.json; null when there is no report object at all. */
export function parseStudyReport(json: unknown): StudyReport | null {
  const report = reportRecord(json);
  if (!report) return null;
  return {
    verdict: parseVerdict(report["verdict"]),
    warnings: asStringList(report["warnings"]),
    models: parseModels(report),
    gains: parseGains(report),
    ceLoss: parseCeLoss(report["ce_loss"]),
    residualSaeSweep: parseResidualSaeSweep(report),
    joint: parseJoint(report["joint_finetune"]),
    provenance: parseProvenance(report["provenance"]),
  };
}
