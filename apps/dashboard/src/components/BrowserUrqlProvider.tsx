"use client";

import { type ReactNode, useState } from "react";
import { cacheExchange, createClient, fetchExchange, Provider } from "urql";

/** urql for client components; it talks to the dashboard's own /graphql route, which proxies to the server. */
export function BrowserUrqlProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() =>
    createClient({
      url: "/graphql",
      exchanges: [cacheExchange, fetchExchange],
      requestPolicy: "cache-and-network",
      preferGetMethod: false,
    }),
  );
  return <Provider value={client}>{children}</Provider>;
}
