/**
 * Checks of parsed JSON against a shape: each returns the value typed, or throws a ReportShapeError naming the field
 * (as a dotted path) and what it should hold.
 */

export class ReportShapeError extends Error {
  override name = "ReportShapeError";
}

/** Checks `value`, found at `path`, and returns it typed. */
export type Check<T> = (value: unknown, path: string) => T;

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

export function fail(path: string, expected: string, value: unknown): never {
  throw new ReportShapeError(`${path} is ${describe(value)}; expected ${expected}.`);
}

export const number: Check<number> = (value, path) =>
  typeof value === "number" && Number.isFinite(value) ? value : fail(path, "a finite number", value);

export const string: Check<string> = (value, path) =>
  typeof value === "string" ? value : fail(path, "a string", value);

export const boolean: Check<boolean> = (value, path) =>
  typeof value === "boolean" ? value : fail(path, "true or false", value);

export function pairOf<T>(check: Check<T>): Check<[T, T]> {
  return (value, path) =>
    Array.isArray(value) && value.length === 2
      ? [check(value[0], `${path}[0]`), check(value[1], `${path}[1]`)]
      : fail(path, "a list of two", value);
}

/** A [lo, hi] interval of finite numbers. */
export const interval: Check<[number, number]> = (value, path) => {
  const [lo, hi] = pairOf(number)(value, path);
  return lo <= hi ? [lo, hi] : fail(path, "a [lo, hi] pair with lo ≤ hi", value);
};

/** Any JSON object, its members unchecked. */
export const record: Check<Record<string, unknown>> = (value, path) =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail(path, "an object", value);

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

/** A member that older files may lack: missing or null reads as null. */
export function optional<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === undefined || value === null ? null : check(value, path));
}

/** An object whose every member is a finite number. */
export const numberRecord: Check<Record<string, number>> = (value, path) =>
  Object.fromEntries(Object.entries(record(value, path)).map(([key, v]) => [key, number(v, `${path}.${key}`)]));

export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, "an array", value);
    return value.map((item, i) => check(item, `${path}[${i}]`));
  };
}

export function oneOf<const T extends readonly string[]>(values: T): Check<T[number]> {
  return (value, path) =>
    typeof value === "string" && values.includes(value) ? value : fail(path, `one of ${values.join(", ")}`, value);
}

type Shape = Record<string, Check<unknown>>;
export type Checked<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** An object with exactly the members of `shape`, each checked (members not in the shape are dropped). */
export function object<S extends Shape>(shape: S): Check<Checked<S>> {
  return (value, path) => {
    const input = record(value, path);
    return Object.fromEntries(
      Object.entries(shape).map(([key, check]) => [key, check(input[key], `${path}.${key}`)]),
    ) as Checked<S>;
  };
}
