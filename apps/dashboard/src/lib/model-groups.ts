// The models of a study's evidence grouped as the server lists them: NFM variants, then controls.
import type { ModelFitFieldsFragment, ModelGroup } from "@interlace/schema";

export const MODEL_GROUP_LABELS: Record<ModelGroup, string> = {
  NFM: "NFM variants",
  CONTROLS: "Controls",
};

export interface ModelGroupRows<M> {
  group: ModelGroup;
  label: string;
  models: M[];
}

/** The groups in the order their first model appears, each with its models in the order given. */
export function groupModels<M extends Pick<ModelFitFieldsFragment, "group">>(
  models: readonly M[],
): ModelGroupRows<M>[] {
  const groups = new Map<ModelGroup, M[]>();
  for (const model of models) groups.set(model.group, [...(groups.get(model.group) ?? []), model]);
  return [...groups].map(([group, members]) => ({ group, label: MODEL_GROUP_LABELS[group], models: members }));
}
