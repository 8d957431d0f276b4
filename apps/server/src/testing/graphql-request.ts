import assert from "node:assert/strict";

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Posts a query to a running server and returns its JSON answer. */
export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a response that must have no errors. */
export async function data<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gql<T>(url, query, variables);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data;
}
