// Tolerant readers for untyped JSON: each returns the value in the expected shape, or null when it is not.

export type Interval = [number, number];

export interface Estimate {
  value: number;
  ci95: Interval | null;
}

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : null;
}

export function asNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function asString(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function asBoolean(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/** A [lo, hi] pair of finite numbers, ordered so lo ≤ hi. */
export function asInterval(value: unknown): Interval | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [a, b] = [asNumber(value[0]), asNumber(value[1])];
  if (a === null || b === null) return null;
  return a <= b ? [a, b] : [b, a];
}

/** `{ value, ci95 }`; the value is required, a malformed interval becomes null. */
export function asEstimate(value: unknown): Estimate | null {
  const record = asRecord(value);
  const estimate = asNumber(record?.["value"]);
  if (!record || estimate === null) return null;
  return { value: estimate, ci95: asInterval(record["ci95"]) };
}

export function asStringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => asString(item) !== null);
}

/** The items of an array that `read` accepts; anything else is dropped. */
export function asListOf<T>(value: unknown, read: (item: unknown) => T | null): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(read).filter((item): item is T => item !== null);
}
