import { graphqlUrl } from "../../lib/config";
import { proxyGraphqlRequest } from "../../lib/graphql-proxy";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return proxyGraphqlRequest(request, graphqlUrl());
}
