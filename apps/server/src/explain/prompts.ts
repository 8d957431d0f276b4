import { readFileSync } from "node:fs";

/**
 * Prompt templates are versioned files in ./prompts (`<name>-v<N>.md`); a changed prompt is a new file with the next
 * version, so every stored explanation and score names the exact text that produced it.
 */
export const PROMPTS = {
  explain: "explain-v1",
  detection: "detection-v1",
  fuzzing: "fuzzing-v1",
  explainPair: "explain-pair-v1",
} as const;

export type PromptName = keyof typeof PROMPTS;

const cache = new Map<string, string>();

function template(version: string): string {
  let text = cache.get(version);
  if (text === undefined) {
    text = readFileSync(new URL(`./prompts/${version}.md`, import.meta.url), "utf8");
    cache.set(version, text);
  }
  return text;
}

/** The prompt `name` with each `{{key}}` replaced by its value (every placeholder must be given, and only those). */
export function renderPrompt(name: PromptName, values: Record<string, string>): string {
  const version = PROMPTS[name];
  const used = new Set<string>();
  const text = template(version).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`prompt ${version} needs a value for {{${key}}}`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`prompt ${version} has no placeholder for ${unused.join(", ")}`);
  return text.trimEnd();
}
