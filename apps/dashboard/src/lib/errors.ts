// Turns a failed GraphQL request into a sentence that says what is wrong and what to do.

/** How browser-side messages name the endpoint: the dashboard's own route that forwards to the server. */
export const PROXY_LABEL = "/graphql (the dashboard's proxy)";

export interface RequestFailure {
  networkError?: Error | undefined;
  graphQLErrors: ReadonlyArray<{ message: string }>;
}

/** The message shown when nothing answers at the GraphQL endpoint. */
export function unreachableMessage(url: string): string {
  return `Cannot reach the Interlace server at ${url}: start it with \`npm start\`, or point INTERLACE_GRAPHQL_URL at a running server.`;
}

const connectionFailure = /fetch failed|failed to fetch|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|socket hang up/i;

function isConnectionFailure(error: Error): boolean {
  const cause = (error as Error & { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? `${cause.message} ${(cause as Error & { code?: string }).code ?? ""}` : "";
  return connectionFailure.test(`${error.message} ${causeText}`);
}

export function describeFailure(failure: RequestFailure, url: string): string {
  if (failure.networkError) {
    if (isConnectionFailure(failure.networkError)) return unreachableMessage(url);
    return `The Interlace server at ${url} did not answer with GraphQL (${failure.networkError.message}). Check INTERLACE_GRAPHQL_URL.`;
  }
  const messages = failure.graphQLErrors.map((error) => error.message).filter((message) => message.length > 0);
  if (messages.length > 0) return `The Interlace server reported: ${messages.join("; ")}`;
  return `The request to the Interlace server at ${url} failed without a message.`;
}
