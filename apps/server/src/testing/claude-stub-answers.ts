/** Canned answers for the Claude stub that know the design of explainStudy(): feature i fires only on "fruit<i>". */

export type PromptKind = "explain" | "detection" | "fuzzing" | "pair";

export function promptKind(prompt: string): PromptKind {
  if (prompt.includes("Some of them activate the feature")) return "detection";
  if (prompt.includes("markings are correct")) return "fuzzing";
  if (prompt.includes("two features, A and B")) return "pair";
  return "explain";
}

/** The excerpts of a prompt, in order. */
export const excerpts = (prompt: string) => [...prompt.matchAll(/^Excerpt \d+: (.*)$/gm)].map((m) => m[1] ?? "");

/** The fruit word the explanation in a scorer prompt names (e.g. "fruit4"). */
export const namedWord = (prompt: string) =>
  /(fruit\d+)/.exec(/respond to:\n\n([^\n]*)/.exec(prompt)?.[1] ?? "")?.[1] ?? "none";

/**
 * A scorer that knows the study's design: an excerpt activates when it holds the word the explanation names, and its
 * marking is right when that word is the one marked. `flipFirstPositive` makes it miss the first positive.
 */
export function honestScorer(prompt: string, flipFirstPositive = false): string {
  const word = namedWord(prompt);
  const has = (line: string) =>
    promptKind(prompt) === "detection" ? new RegExp(`${word}\\b`).test(line) : new RegExp(`<< ${word}>>`).test(line);
  let flipped = !flipFirstPositive;
  const verdicts = excerpts(prompt).map((line) => {
    if (has(line) && !flipped) {
      flipped = true;
      return 0;
    }
    return has(line) ? 1 : 0;
  });
  return `Here is my answer: [${verdicts.join(", ")}]`;
}

/** The canned explanation of the feature whose examples a prompt shows (with surrounding whitespace to trim). */
export function cannedExplanation(prompt: string): string {
  const word = /<< (fruit\d+)>>/.exec(prompt)?.[1] ?? "nothing";
  return `  \n Fires on the word "${word}".\n\n`;
}
