// Forward-only Relay pagination kept in the URL: the trail of `after` cursors walked so far, one repeated search
// parameter per page, so Back/Previous and shared links both work without client state.

export type SearchParams = Record<string, string | string[] | undefined>;

function toUrlParams(params: SearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.append(key, item);
  }
  return out;
}

function href(pathname: string, params: URLSearchParams): string {
  const query = params.toString();
  return query === "" ? pathname : `${pathname}?${query}`;
}

/** The cursors already walked under `key`, oldest first. */
export function cursorTrail(params: SearchParams, key: string): string[] {
  const value = params[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((cursor) => cursor !== "");
}

/** The `after` argument for the current page (undefined on the first page). */
export function currentCursor(params: SearchParams, key: string): string | undefined {
  return cursorTrail(params, key).at(-1);
}

/** 1-based page number. */
export function pageNumber(params: SearchParams, key: string): number {
  return cursorTrail(params, key).length + 1;
}

export function nextPageHref(pathname: string, params: SearchParams, key: string, endCursor: string): string {
  const next = toUrlParams(params);
  next.append(key, endCursor);
  return href(pathname, next);
}

/** The previous page, or undefined on the first page. */
export function previousPageHref(pathname: string, params: SearchParams, key: string): string | undefined {
  const trail = cursorTrail(params, key);
  if (trail.length === 0) return undefined;
  const next = toUrlParams(params);
  next.delete(key);
  for (const cursor of trail.slice(0, -1)) next.append(key, cursor);
  return href(pathname, next);
}

/** The same URL with `key` set to `value` (or removed) and the cursor trail under `resetKey` dropped. */
export function withParam(
  pathname: string,
  params: SearchParams,
  key: string,
  value: string | undefined,
  resetKey: string,
): string {
  const next = toUrlParams(params);
  next.delete(resetKey);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return href(pathname, next);
}
