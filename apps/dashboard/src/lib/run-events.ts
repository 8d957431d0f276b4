// Server side of a run's live progress: subscribes to the API's runProgress (graphql-ws on the API's /graphql, with
// the signed-in token) and forwards each event to the browser as a server-sent event, so the browser only ever talks
// to the dashboard's origin and the token stays in its httpOnly cookie.
import { RunProgressDocument, type RunProgressSubscription } from "@interlace/schema";
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/** The API's WebSocket address for its GraphQL URL (http → ws, https → wss). */
export function subscriptionUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, "ws");
}

/** One server-sent event: `data` as JSON, under `event` when given. */
export function sseEvent(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * A stream of server-sent events for run `id`: each runProgress event as a message, `end` when the run finished,
 * `failure` (with the server's message) when the subscription failed; closes when `signal` aborts.
 */
export function runProgressStream(
  graphqlUrl: string,
  id: string,
  authorization: Record<string, string>,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
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
      unsubscribe = client.subscribe<RunProgressSubscription>(
        { query: print(RunProgressDocument), variables: { id } },
        {
          next: (value) => {
            if (value.errors?.length)
              send(sseEvent({ message: value.errors.map((e) => e.message).join("; ") }, "failure"));
            else if (value.data) send(sseEvent(value.data.runProgress));
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
