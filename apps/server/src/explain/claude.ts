import Anthropic from "@anthropic-ai/sdk";
import type { ExplainConfig } from "../config.js";

/** One reply of the model: its text and the tokens the API counted for the call (usage fields). */
export interface ClaudeReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** What explaining needs of Claude: one user message in, the text of the reply out. */
export interface Claude {
  readonly model: string;
  ask(prompt: string, maxTokens: number): Promise<ClaudeReply>;
}

/** A call that failed after its retries; `message` is the API's own message where it sent one. */
export class ClaudeError extends Error {
  override name = "ClaudeError";
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** Explaining was asked for but ANTHROPIC_API_KEY is not set. */
export class NotConfiguredError extends Error {
  override name = "NotConfiguredError";
  constructor() {
    super(
      "explaining features is not configured: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a gateway) " +
        "in the server's and worker's environment",
    );
  }
}

/**
 * Retries of one call. The SDK retries 408, 409, 429, 5xx (529 overload included) and connection errors with
 * exponential back-off (0.5 s doubling up to 8 s, minus up to 25 % random jitter) or the server's retry-after
 * (@anthropic-ai/sdk client.js, shouldRetry / calculateDefaultRetryTimeoutMillis); this bounds how many.
 */
export const DEFAULT_MAX_RETRIES = 4;

/** The API's own message of a failed call (its JSON `error.message`), else the SDK's. */
function apiMessage(error: unknown): { message: string; status: number | undefined } {
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { message?: unknown } } | undefined;
    const inner = body?.error?.message;
    const status = typeof error.status === "number" ? error.status : undefined;
    const text = typeof inner === "string" && inner !== "" ? inner : error.message;
    return { message: status === undefined ? text : `${status}: ${text}`, status };
  }
  return { message: error instanceof Error ? error.message : String(error), status: undefined };
}

/** A Claude backed by the official SDK, pointed at ANTHROPIC_BASE_URL when it is set. */
export function claudeOf(
  config: Pick<ExplainConfig, "apiKey" | "baseURL" | "model">,
  options: { maxRetries?: number; timeoutMs?: number } = {},
): Claude {
  if (config.apiKey === undefined) throw new NotConfiguredError();
  const client = new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseURL === undefined ? {} : { baseURL: config.baseURL }),
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    model: config.model,
    async ask(prompt, maxTokens) {
      let message: Anthropic.Message;
      try {
        message = await client.messages.create({
          model: config.model,
          max_tokens: maxTokens,
          messages: [{ role: "user", content: prompt }],
        });
      } catch (error) {
        const { message: text, status } = apiMessage(error);
        throw new ClaudeError(text, status);
      }
      const blocks = Array.isArray(message.content) ? message.content : [];
      const text = blocks
        .filter((block): block is Anthropic.TextBlock => block?.type === "text" && typeof block.text === "string")
        .map((block) => block.text)
        .join("");
      const usage = message.usage as Partial<Anthropic.Usage> | undefined;
      const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0);
      return { text, inputTokens: count(usage?.input_tokens), outputTokens: count(usage?.output_tokens) };
    },
  };
}
