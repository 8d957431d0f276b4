import assert from "node:assert/strict";

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; requestId?: string; stacktrace?: unknown } }[];
}

/** Posts a query to a running server (with `token` as its bearer token, if given) and returns its JSON answer. */
export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a response that must have no errors. */
export async function data<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data;
}
