// Forwards the browser's GraphQL POSTs to the Interlace server, so the browser only talks to the dashboard's origin;
// the signed-in token (httpOnly cookie) goes along as the Authorization header.
import { unreachableMessage } from "./errors";
import { authorizationHeader, isCrossOrigin, tokenFromCookies } from "./session";

export async function proxyGraphqlRequest(request: Request, upstreamUrl: string): Promise<Response> {
  if (isCrossOrigin(request)) {
    return Response.json(
      { errors: [{ message: "The dashboard's GraphQL route answers only the dashboard itself." }] },
      { status: 403 },
    );
  }
  const body = await request.text();
  let answer: Response;
  try {
    answer = await fetch(upstreamUrl, {
      method: "POST",
      headers: {
        "content-type": request.headers.get("content-type") ?? "application/json",
        accept: request.headers.get("accept") ?? "application/graphql-response+json, application/json",
        ...authorizationHeader(tokenFromCookies(request.headers.get("cookie"))),
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
