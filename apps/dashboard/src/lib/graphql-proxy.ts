// Forwards the browser's GraphQL POSTs to the Interlace server, so the browser only talks to the dashboard's origin.
import { unreachableMessage } from "./errors";

export async function proxyGraphqlRequest(request: Request, upstreamUrl: string): Promise<Response> {
  const body = await request.text();
  let answer: Response;
  try {
    answer = await fetch(upstreamUrl, {
      method: "POST",
      headers: {
        "content-type": request.headers.get("content-type") ?? "application/json",
        accept: request.headers.get("accept") ?? "application/graphql-response+json, application/json",
      },
      body,
      cache: "no-store",
    });
  } catch {
    return Response.json({ errors: [{ message: unreachableMessage(upstreamUrl) }] }, { status: 502 });
  }
  const headers = new Headers({ "cache-control": "no-store" });
  headers.set("content-type", answer.headers.get("content-type") ?? "application/json");
  return new Response(await answer.text(), { status: answer.status, headers });
}
