// Sorting of the features table: which `orderBy` a column header leads to and how the header shows it.
import type { FeatureOrder } from "@interlace/schema";

export const FEATURE_ORDERS = [
  "INDEX_ASC",
  "DENSITY_DESC",
  "DENSITY_ASC",
  "MAX_ACTIVATION_DESC",
  "MAX_ACTIVATION_ASC",
] as const satisfies readonly FeatureOrder[];

export type SortColumn = "INDEX" | "DENSITY" | "MAX_ACTIVATION";

/** The order named in the URL, or INDEX_ASC when it is missing or unknown. */
export function parseFeatureOrder(value: string | string[] | undefined): FeatureOrder {
  const candidate = Array.isArray(value) ? value[0] : value;
  return FEATURE_ORDERS.find((order) => order === candidate) ?? "INDEX_ASC";
}

/** Clicking a column: the first click sorts it descending (index ascending), a second click flips it. */
export function nextFeatureOrder(current: FeatureOrder, column: SortColumn): FeatureOrder {
  if (column === "INDEX") return "INDEX_ASC";
  const descending: FeatureOrder = `${column}_DESC`;
  return current === descending ? `${column}_ASC` : descending;
}

export function ariaSort(current: FeatureOrder, column: SortColumn): "ascending" | "descending" | "none" {
  if (current === `${column}_ASC`) return "ascending";
  if (current === `${column}_DESC`) return "descending";
  return "none";
}
