// The study page's interactions list: which order and filter the URL asks for.
import type { InteractionOrder } from "@interlace/schema";

export const PAIR_ORDERS = ["STRENGTH", "CONTRIBUTION", "LIFT"] as const satisfies readonly InteractionOrder[];

export const PAIR_ORDER_LABELS: Record<InteractionOrder, string> = {
  STRENGTH: "|strength|",
  CONTRIBUTION: "contribution",
  LIFT: "lift",
};

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The order named in the URL, or STRENGTH when it is missing or unknown. */
export function parsePairOrder(value: string | string[] | undefined): InteractionOrder {
  const candidate = single(value);
  return PAIR_ORDERS.find((order) => order === candidate) ?? "STRENGTH";
}

/** "1" keeps only supported pairs. */
export function parseSupportedOnly(value: string | string[] | undefined): boolean {
  return single(value) === "1";
}
