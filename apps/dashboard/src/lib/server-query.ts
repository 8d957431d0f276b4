// Server-side GraphQL for React Server Components: one urql client per request, aimed at INTERLACE_GRAPHQL_URL.
import { type AnyVariables, cacheExchange, createClient, type DocumentInput, fetchExchange } from "@urql/core";
import { registerUrql } from "@urql/next/rsc";
import { cookies } from "next/headers";
import { graphqlUrl } from "./config";
import { describeFailure } from "./errors";
import { asToken, authorizationHeader, SESSION_COOKIE } from "./session";

const { getClient } = registerUrql(() =>
  createClient({
    url: graphqlUrl(),
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: "network-only",
    fetchOptions: { cache: "no-store" },
  }),
);

export type QueryOutcome<Data> = { ok: true; data: Data } | { ok: false; message: string };

export async function serverQuery<Data, Variables extends AnyVariables>(
  document: DocumentInput<Data, Variables>,
  variables: Variables,
): Promise<QueryOutcome<Data>> {
  const token = asToken((await cookies()).get(SESSION_COOKIE)?.value);
  const result = await getClient()
    .query(document, variables, { fetchOptions: { cache: "no-store", headers: authorizationHeader(token) } })
    .toPromise();
  if (result.error) return { ok: false, message: describeFailure(result.error, graphqlUrl()) };
  if (!result.data) return { ok: false, message: `The Interlace server at ${graphqlUrl()} answered without data.` };
  return { ok: true, data: result.data };
}
