import { graphqlUrl } from "../../lib/config.js";
import { proxyGraphqlRequest } from "../../lib/graphql-proxy.js";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return proxyGraphqlRequest(request, graphqlUrl());
}
