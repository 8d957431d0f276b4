/**
 * The measures a stimulus analysis reads per prompt, by name: `interaction_norm` (norm of the NFM's interaction
 * output at the readout), `linear_norm`, `residual_norm` (the SAE residual's norm), `feature:<i>` (SAE feature i) and
 * `k_dim:<k>` (interaction dimension k, BI pooling of the real codes).
 */
import type { PromptMeasures } from "./measures.js";

export type Measure =
  | { kind: "interaction_norm" | "linear_norm" | "residual_norm" }
  | { kind: "feature" | "k_dim"; index: number };

export const NORM_MEASURES = ["interaction_norm", "residual_norm", "linear_norm"] as const;

/** A measure name that does not name a measure of the study. */
export class MeasureError extends Error {
  override name = "MeasureError";
}

export function measureName(measure: Measure): string {
  return "index" in measure ? `${measure.kind}:${measure.index}` : measure.kind;
}

/** The measure `name` names, checked against the study's SAE width and K; the error lists the choices. */
export function parseMeasure(name: string, sizes: { dSae: number; k: number }): Measure {
  if ((NORM_MEASURES as readonly string[]).includes(name)) return { kind: name as (typeof NORM_MEASURES)[number] };
  const match = /^(feature|k_dim):(\d+)$/.exec(name);
  if (!match) {
    throw new MeasureError(
      `unknown measure "${name}"; use ${NORM_MEASURES.join(", ")}, feature:<i> (0..${sizes.dSae - 1}) or k_dim:<k> (0..${sizes.k - 1}).`,
    );
  }
  const kind = match[1] as "feature" | "k_dim";
  const index = Number(match[2]);
  const size = kind === "feature" ? sizes.dSae : sizes.k;
  if (index >= size) {
    throw new MeasureError(
      `measure ${name} is out of range; the study has ${kind === "feature" ? "features" : "interaction dimensions"} 0..${size - 1}.`,
    );
  }
  return { kind, index };
}

export function measureValue(prompt: PromptMeasures, measure: Measure): number {
  switch (measure.kind) {
    case "interaction_norm":
      return prompt.interactionNorm;
    case "linear_norm":
      return prompt.linearNorm;
    case "residual_norm":
      return prompt.residualNorm;
    case "feature":
      return prompt.features[measure.index]!;
    case "k_dim":
      return prompt.kDims[measure.index]!;
  }
}
