// Dashboard configuration, read at request time (never baked into the build).

export const DEFAULT_GRAPHQL_URL = "http://127.0.0.1:4000/graphql";

/** The Interlace GraphQL endpoint from `INTERLACE_GRAPHQL_URL`, or the local default. */
export function graphqlUrl(env: Record<string, string | undefined> = process.env): string {
  const raw = env.INTERLACE_GRAPHQL_URL;
  if (raw === undefined || raw.trim() === "") return DEFAULT_GRAPHQL_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new Error(
      `INTERLACE_GRAPHQL_URL="${raw}" is not a URL: set it to the server's GraphQL endpoint, e.g. ${DEFAULT_GRAPHQL_URL}`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(
      `INTERLACE_GRAPHQL_URL="${raw}" must use http or https: set it to the server's GraphQL endpoint, e.g. ${DEFAULT_GRAPHQL_URL}`,
    );
  }
  return parsed.toString();
}
