import { graphqlUrl } from "../../../../lib/config";
import { runProgressStream, sseResponse } from "../../../../lib/run-events";
import { authorizationHeader, isCrossOrigin, tokenFromCookies } from "../../../../lib/session";

export const dynamic = "force-dynamic";

/** Live progress of one run as server-sent events (see lib/run-events.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  if (isCrossOrigin(request)) {
    return Response.json({ message: "The run events answer only the dashboard itself." }, { status: 403 });
  }
  const { id } = await params;
  const token = tokenFromCookies(request.headers.get("cookie"));
  const stream = runProgressStream(graphqlUrl(), id, authorizationHeader(token), request.signal);
  return sseResponse(stream);
}
