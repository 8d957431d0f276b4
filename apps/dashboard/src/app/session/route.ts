import { graphqlUrl } from "../../lib/config";
import { signIn, signOut } from "../../lib/session";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return signIn(request, graphqlUrl());
}

export function DELETE(request: Request): Response {
  return signOut(request);
}
