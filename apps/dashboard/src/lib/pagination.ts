// Forward-only Relay pagination kept in the URL as one cursor and a page number: `after=<cursor>&page=N`. "Next"
// replaces both, "First page" drops both, so a URL never grows with the pages walked and a shared link opens the
// same page.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The search parameter holding the 1-based page number next to a cursor parameter. */
const PAGE = "page";

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

function single(params: SearchParams, key: string): string | undefined {
  const value = params[key];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === "" ? undefined : last;
}

/** The `after` argument for the current page (undefined on the first page). */
export function currentCursor(params: SearchParams, key: string): string | undefined {
  return single(params, key);
}

/** 1-based page number (1 without a cursor; 2 when a cursor comes without a usable page number). */
export function pageNumber(params: SearchParams, key: string): number {
  if (currentCursor(params, key) === undefined) return 1;
  const page = Number(single(params, PAGE));
  return Number.isInteger(page) && page >= 2 ? page : 2;
}

/** The next page: the cursor replaced by `endCursor` and the page number advanced. */
export function nextPageHref(pathname: string, params: SearchParams, key: string, endCursor: string): string {
  const next = toUrlParams(params);
  const page = pageNumber(params, key) + 1;
  next.set(key, endCursor);
  next.set(PAGE, String(page));
  return href(pathname, next);
}

/** The first page, or undefined when already on it. */
export function firstPageHref(pathname: string, params: SearchParams, key: string): string | undefined {
  if (currentCursor(params, key) === undefined) return undefined;
  const next = toUrlParams(params);
  next.delete(key);
  next.delete(PAGE);
  return href(pathname, next);
}

/** The same URL with `key` set to `value` (or removed), back on the first page of the list paged by `resetKey`. */
export function withParam(
  pathname: string,
  params: SearchParams,
  key: string,
  value: string | undefined,
  resetKey: string,
): string {
  const next = toUrlParams(params);
  next.delete(resetKey);
  next.delete(PAGE);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return href(pathname, next);
}
