// Server side of live runs: subscribes to the API's runProgress or runsChanged (graphql-ws on the API's /graphql, with
// the signed-in token) and forwards each event to the browser as a server-sent event, so the browser only ever talks
// to the dashboard's origin and the token stays in its httpOnly cookie.
import {
  RunProgressDocument,
  type RunProgressSubscription,
  RunsChangedDocument,
  type RunsChangedSubscription,
} from "@interlace/schema";
import { type DocumentNode, print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/** The API's WebSocket address for its GraphQL URL (http → ws, https → wss). */
export function subscriptionUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, "ws");
}

/** The response that sends `stream` to the browser as server-sent events, unbuffered and uncached. */
export function sseResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" },
  });
}

/** One server-sent event: `data` as JSON, under `event` when given. */
export function sseEvent(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
}

/** A stream of server-sent events for run `id`: each runProgress event as a message, `end` when the run finished. */
export function runProgressStream(
  graphqlUrl: string,
  id: string,
  authorization: Record<string, string>,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  return subscriptionStream(
    graphqlUrl,
    RunProgressDocument,
    { id },
    (data: RunProgressSubscription) => data.runProgress,
    {
      authorization,
      signal,
    },
  );
}

/** A stream of server-sent events of the newest `first` runs: the list now and after each change, as messages. */
export function runsStream(
  graphqlUrl: string,
  first: number,
  authorization: Record<string, string>,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  return subscriptionStream(
    graphqlUrl,
    RunsChangedDocument,
    { first },
    (data: RunsChangedSubscription) => data.runsChanged,
    { authorization, signal },
  );
}

/**
 * A stream of server-sent events of one GraphQL subscription: `pick` of each event as a message, `end` when the
 * subscription completed, `failure` (with the server's message) when it failed; closes when `signal` aborts.
 */
function subscriptionStream<Data>(
  graphqlUrl: string,
  document: DocumentNode,
  variables: Record<string, unknown>,
  pick: (data: Data) => unknown,
  connection: { authorization: Record<string, string>; signal: AbortSignal },
): ReadableStream<Uint8Array> {
  const { authorization, signal } = connection;
  const encoder = new TextEncoder();
  const client = createClient({
    url: subscriptionUrl(graphqlUrl),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: authorization,
  });
  let unsubscribe: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (!open) return;
        open = false;
        controller.close();
        void client.dispose();
      };
      signal.addEventListener("abort", close);
      unsubscribe = client.subscribe<Data>(
        { query: print(document), variables },
        {
          next: (value) => {
            if (value.errors?.length)
              send(sseEvent({ message: value.errors.map((e) => e.message).join("; ") }, "failure"));
            else if (value.data) send(sseEvent(pick(value.data)));
          },
          error: (error) => {
            const message = Array.isArray(error)
              ? error.map((e: { message: string }) => e.message).join("; ")
              : error instanceof Error
                ? error.message
                : "the live connection to the Interlace server closed";
            send(sseEvent({ message }, "failure"));
            close();
          },
          complete: () => {
            send(sseEvent({}, "end"));
            close();
          },
        },
      );
    },
    cancel() {
      unsubscribe?.();
      void client.dispose();
    },
  });
}
