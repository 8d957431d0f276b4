// Who the signed-in token belongs to (null when signed out or the server does not know the token), once per request.
import { ViewerDocument } from "@interlace/schema";
import { cache } from "react";
import type { SessionViewer } from "../components/SessionBar";
import { serverQuery } from "./server-query";

export const currentViewer = cache(async (): Promise<SessionViewer | null> => {
  const outcome = await serverQuery(ViewerDocument, {});
  return outcome.ok ? (outcome.data.viewer ?? null) : null;
});
