import {
  insertPairExplanation,
  listExplanations,
  loadMaterial,
} from "../features/explanation/explanation.repository.js";
import { ClaudeError } from "./claude.js";
import { activeMarks, type Example, type FeatureMaterial, markedText, splitExamples, textOf } from "./examples.js";
import { type ExplainContext, FeatureExplainError } from "./explain-feature.js";
import { PROMPTS, renderPrompt } from "./prompts.js";

export const PAIR_MAX_TOKENS = 300;
const PER_FEATURE = 6;

const marked = (examples: readonly Example[]) =>
  examples.length === 0
    ? "(none stored)"
    : examples.map((e, i) => `Excerpt ${i + 1}: ${markedText(e, activeMarks(e), true)}`).join("\n");

/**
 * Windows both features are active in. Only each feature's stored windows are known, so these are the windows
 * stored for both (same text), shown with A's markings and then B's.
 */
function sharedWindows(a: FeatureMaterial, b: FeatureMaterial): string {
  const ofB = new Map([...b.top, ...b.quantiles.flat()].map((e) => [textOf(e), e]));
  const lines: string[] = [];
  for (const example of [...a.top, ...a.quantiles.flat()]) {
    const other = ofB.get(textOf(example));
    if (!other) continue;
    ofB.delete(textOf(example));
    lines.push(
      `A: ${markedText(example, activeMarks(example), true)}\nB: ${markedText(other, activeMarks(other), true)}`,
    );
  }
  return lines.length === 0 ? "(no window is stored for both features)" : lines.slice(0, PER_FEATURE).join("\n");
}

/** Explains what the interacting features a and b do together and stores it; returns the stored text. */
export async function explainPair(context: ExplainContext, studyId: string, a: number, b: number): Promise<string> {
  const [materialA, materialB, explained] = await Promise.all([
    loadMaterial(context.sql, studyId, a),
    loadMaterial(context.sql, studyId, b),
    listExplanations(context.sql, [
      { studyId, index: a },
      { studyId, index: b },
    ]),
  ]);
  const latest = (index: number) => explained.find((row) => row.featureIndex === index)?.text;
  const said = (index: number) => {
    const text = latest(index);
    return text === undefined ? ":" : ` (explained as: ${text}):`;
  };
  const prompt = renderPrompt("explainPair", {
    explanationA: said(a),
    explanationB: said(b),
    examplesA: marked(splitExamples(materialA, context.seed).explain.slice(0, PER_FEATURE)),
    examplesB: marked(splitExamples(materialB, context.seed).explain.slice(0, PER_FEATURE)),
    examplesBoth: sharedWindows(materialA, materialB),
  });
  context.budget.check();
  let reply: Awaited<ReturnType<ExplainContext["claude"]["ask"]>>;
  try {
    reply = await context.claude.ask(prompt, PAIR_MAX_TOKENS);
  } catch (error) {
    if (error instanceof ClaudeError) throw new FeatureExplainError(`pair ${a}–${b}: ${error.message}`);
    throw error;
  }
  context.budget.spend(reply);
  const text = reply.text.trim();
  if (text === "") throw new FeatureExplainError(`pair ${a}–${b}: the model's reply held no text`);
  await insertPairExplanation(context.sql, {
    studyId,
    a,
    b,
    text,
    model: context.claude.model,
    promptVersion: PROMPTS.explainPair,
    runId: context.runId,
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
  });
  return text;
}
