"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Follows the dashboard's server-sent events at `url` while `enabled`, handing each message's data to `onMessage`.
 * Returns false once the live connection cannot be opened or breaks (or the browser has no EventSource): the caller
 * then polls instead.
 */
export function useLiveEvents<T>(url: string, enabled: boolean, onMessage: (data: T) => void): boolean {
  const [live, setLive] = useState(true);
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (typeof EventSource === "undefined") {
      setLive(false);
      return;
    }
    if (!enabled || !live) return;
    const source = new EventSource(url);
    source.onmessage = (event) => handler.current(JSON.parse(event.data) as T);
    source.addEventListener("end", () => source.close());
    const fallBack = () => {
      source.close();
      setLive(false);
    };
    source.addEventListener("failure", fallBack);
    source.onerror = fallBack;
    return () => source.close();
  }, [url, enabled, live]);

  return live;
}
