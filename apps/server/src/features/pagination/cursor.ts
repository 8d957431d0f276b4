/** Opaque keyset cursors: the sort key of the last row seen, base64url-encoded JSON. */

export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
}

export function encodeCursor(key: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Decodes a cursor whose key is `length` numbers; throws InvalidCursorError naming `argument` otherwise. */
export function decodeNumberCursor(cursor: string, length: number, argument = "after"): number[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  if (
    !Array.isArray(key) ||
    key.length !== length ||
    !key.every((value) => typeof value === "number" && Number.isFinite(value))
  ) {
    throw new InvalidCursorError(
      `${argument} is not a cursor of this list; pass an endCursor or edge cursor returned by the same field and order`,
    );
  }
  return key as number[];
}
