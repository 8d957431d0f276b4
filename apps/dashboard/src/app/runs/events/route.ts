import { graphqlUrl } from "../../../lib/config";
import { runsStream, sseResponse } from "../../../lib/run-events";
import { RUNS_LISTED } from "../../../lib/runs";
import { authorizationHeader, isCrossOrigin, tokenFromCookies } from "../../../lib/session";

export const dynamic = "force-dynamic";

/** The runs list kept live as server-sent events (see lib/run-events.ts): the newest runs, again after each change. */
export async function GET(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) {
    return Response.json({ message: "The run events answer only the dashboard itself." }, { status: 403 });
  }
  const token = tokenFromCookies(request.headers.get("cookie"));
  const stream = runsStream(graphqlUrl(), RUNS_LISTED, authorizationHeader(token), request.signal);
  return sseResponse(stream);
}
