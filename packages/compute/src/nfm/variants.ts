/** The named NFM variants and study controls, as ResidualModel configurations. */
import {
  type InteractionConfig,
  interactionParameterCount,
  matchedMlpWidth,
  type ResidualModelConfig,
} from "./model.js";

export const NFM_VARIANTS = ["full", "interaction-only", "linear-only"] as const;
export type NfmVariant = (typeof NFM_VARIANTS)[number];

export const CONTROL_MODELS = ["linear_x", "mlp_matched"] as const;
export type ControlModel = (typeof CONTROL_MODELS)[number];

export type ResidualModelKind = NfmVariant | ControlModel;

/** The configuration of a variant or control. The MLP controls get one hidden layer sized to match the parameter
 *  count of the interaction path (V plus its head). */
export function modelConfig(
  kind: ResidualModelKind,
  dSae: number,
  dIn: number,
  interaction: InteractionConfig,
): ResidualModelConfig {
  const base = { dSae, dIn, linear: null, interaction: null, mlp: null } as ResidualModelConfig;
  const matched = () => [matchedMlpWidth(dSae, dIn, interactionParameterCount(dSae, dIn, interaction))];
  switch (kind) {
    case "full":
      return { ...base, linear: "f", interaction };
    case "interaction-only":
      return { ...base, interaction };
    case "linear-only":
      return { ...base, linear: "f" };
    case "linear_x":
      return { ...base, linear: "x" };
    case "mlp_matched":
      return { ...base, linear: "f", mlp: matched() };
    default:
      throw new Error(
        `unknown model "${kind as string}"; use one of ${[...NFM_VARIANTS, ...CONTROL_MODELS].join(", ")}.`,
      );
  }
}
