import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the stub received: its headers and parsed JSON body. */
export interface StubRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: unknown; max_tokens?: unknown; messages?: { role: string; content: unknown }[] };
  /** The text of the first user message. */
  prompt: string;
}

/** What the stub answers: a reply text (sent as a Messages API response with usage), or an HTTP error. */
export type StubAnswer =
  | { text: string; inputTokens?: number; outputTokens?: number }
  | { status: number; message: string; headers?: Record<string, string> }
  | { raw: unknown };

export interface ClaudeStub {
  /** The base URL to give the SDK (ANTHROPIC_BASE_URL). */
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** Tokens the stub reports for a text: one per 4 characters, as a rough stand-in for a tokenizer. */
export const stubTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages) that the real SDK talks to over HTTP. `answer`
 * sees each request (and how many came before it) and says what to send back; usage counts one token per 4
 * characters of prompt and reply unless the answer says otherwise.
 */
export async function startClaudeStub(
  answer: (request: StubRequest, seen: number) => StubAnswer | Promise<StubAnswer>,
): Promise<ClaudeStub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      let body: StubRequest["body"] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = {};
      }
      const content = body.messages?.[0]?.content;
      const prompt = typeof content === "string" ? content : JSON.stringify(content ?? "");
      const request: StubRequest = { path: req.url ?? "", headers: req.headers, body, prompt };
      const seen = requests.length;
      requests.push(request);
      const reply = await answer(request, seen);
      if ("status" in reply) {
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify({ type: "error", error: { type: "api_error", message: reply.message } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      if ("raw" in reply) {
        res.end(JSON.stringify(reply.raw));
        return;
      }
      res.end(
        JSON.stringify({
          id: `msg_stub_${seen}`,
          type: "message",
          role: "assistant",
          model: body.model,
          content: [{ type: "text", text: reply.text }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: {
            input_tokens: reply.inputTokens ?? stubTokens(prompt),
            output_tokens: reply.outputTokens ?? stubTokens(reply.text),
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
