/** Wraps `@huggingface/tokenizers` around a local tokenizer.json (+ tokenizer_config.json); no network. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import type { Tokenizer } from "./types.js";

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path}: cannot read JSON (${(error as Error).message}); re-download the file.`);
  }
}

/** A special token in tokenizer_config.json is a string or an AddedToken object with `content`. */
function tokenText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { content?: unknown }).content === "string") {
    return (value as { content: string }).content;
  }
  return null;
}

export interface TokenizerIds {
  bosTokenId?: number | null;
  eosTokenId?: number | null;
}

/**
 * Loads `dir/tokenizer.json`. Special-token ids come from tokenizer_config.json, falling back to `fallback`
 * (config.json's bos/eos ids). `encode` never adds special tokens: callers prepend BOS when they want it.
 */
export function loadTokenizer(dir: string, fallback: TokenizerIds = {}): Tokenizer {
  const path = join(dir, "tokenizer.json");
  if (!existsSync(path)) {
    throw new Error(`${dir}: no tokenizer.json; place the model's tokenizer.json (Hugging Face format) there.`);
  }
  const json = readJson(path);
  const configPath = join(dir, "tokenizer_config.json");
  const config = existsSync(configPath) ? readJson(configPath) : {};
  const hf = new HfTokenizer(json, config);
  const idOf = (key: string, fallbackId: number | null | undefined): number | null => {
    const text = tokenText(config[key]);
    const id = text === null ? undefined : hf.token_to_id(text);
    return id ?? fallbackId ?? null;
  };
  const bosTokenId = idOf("bos_token", fallback.bosTokenId);
  const eosTokenId = idOf("eos_token", fallback.eosTokenId);
  const vocabSize = hf.get_vocab(true).size;
  return {
    encode: (text) => hf.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => hf.decode([...ids], { skip_special_tokens: false }),
    tokenString: (id) => hf.decode([id], { skip_special_tokens: false }),
    bosTokenId,
    eosTokenId,
    vocabSize,
  };
}
