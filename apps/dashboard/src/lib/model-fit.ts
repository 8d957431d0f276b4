// How a model of a study's evidence was fitted, for the Evidence table: its status, tuning and validation curve.
import type { FitStatus, ModelFitFieldsFragment } from "@interlace/schema";
import { formatPercent } from "./format";

export const FIT_STATUS_LABELS: Record<FitStatus, string> = {
  CLOSED_FORM: "closed form",
  EARLY_STOPPED: "early stopped",
  BUDGET_EXHAUSTED: "budget exhausted",
};

type Fitted = Pick<ModelFitFieldsFragment, "fit" | "epochs" | "lr" | "ridge" | "trainEr" | "valEr" | "curve">;

/** "λ 0.25", "lr 0.001 · 3.5 epochs", or "" when the report does not say (version-1 reports). */
export function fitDetails(model: Fitted): string {
  const parts: string[] = [];
  if (model.ridge !== null && model.ridge !== undefined) parts.push(`λ ${Number(model.ridge.toPrecision(3))}`);
  if (model.lr !== null && model.lr !== undefined) parts.push(`lr ${model.lr}`);
  if (model.epochs !== null && model.epochs !== undefined) parts.push(`${model.epochs.toFixed(1)} epochs`);
  return parts.join(" · ");
}

/** "train 20.1% · validation 14.3%", or "" when the report has neither. */
export function fitErs(model: Fitted): string {
  if (model.trainEr === null && model.valEr === null) return "";
  return `train ${formatPercent(model.trainEr, 1)} · validation ${formatPercent(model.valEr, 1)}`;
}

/** The curve as chart points: by epoch for trained models, by candidate order for closed-form fits (λ spans decades
 *  and includes 0). */
export function fitCurvePoints(model: Pick<ModelFitFieldsFragment, "fit" | "curve">): { x: number; y: number }[] {
  return model.curve.map((point, i) => ({ x: model.fit === "CLOSED_FORM" ? i : point.at, y: point.valEr }));
}
