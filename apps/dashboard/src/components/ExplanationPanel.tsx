import type { FeatureQuery } from "@interlace/schema";
import { formatDate } from "../lib/format";

type Explanation = FeatureQuery["feature"]["explanations"][number];
type Baseline = NonNullable<FeatureQuery["study"]>["explanationBaselines"][number];

/** What each score means, shown on hover (and to screen readers). */
export const SCORE_MEANING: Record<string, { label: string; meaning: string }> = {
  DETECTION: {
    label: "Detection",
    meaning:
      "A model read only this explanation and said which of a shuffled mix of held-out excerpts activate the feature " +
      "(some from several activation intervals, some from other features). Balanced accuracy: 0.5 is chance, 1 is " +
      "perfect (EleutherAI, Paulo et al. 2024).",
  },
  FUZZING: {
    label: "Fuzzing",
    meaning:
      "A model read only this explanation and said, for held-out activating excerpts, whether the marked tokens are " +
      "the ones the feature fires on or were moved to wrong tokens. Balanced accuracy: 0.5 is chance, 1 is perfect " +
      "(EleutherAI, Paulo et al. 2024).",
  },
};

function ScoreBadge({ score }: { score: Explanation["scores"][number] }) {
  const about = SCORE_MEANING[score.kind] ?? { label: score.kind, meaning: "" };
  const counts =
    `${score.truePositives} true positives, ${score.falseNegatives} false negatives, ` +
    `${score.trueNegatives} true negatives, ${score.falsePositives} false positives; seed ${score.seed}`;
  const hover = `${about.meaning}\n${counts}`;
  return (
    <span className="score" title={hover} data-testid={`score-${score.kind.toLowerCase()}`}>
      <span className="score-label">{about.label}</span> <strong>{score.value.toFixed(2)}</strong>{" "}
      <span className="muted">n = {score.n}</span>
      <span className="visually-hidden"> ({hover})</span>
    </span>
  );
}

/** The newest explanation of a feature with its scores (text only: model output is never rendered as markup). */
export function ExplanationPanel({
  explanations,
  baselines,
}: {
  explanations: readonly Explanation[];
  baselines: readonly Baseline[];
}) {
  const [latest, ...older] = explanations;
  if (!latest) return <p className="muted">No explanation yet.</p>;
  return (
    <>
      <p className="explanation-text" data-testid="explanation-text">
        {latest.text}
      </p>
      <p className="scores" data-testid="explanation-scores">
        {latest.scores.length > 0 ? (
          latest.scores.map((score) => <ScoreBadge key={score.kind} score={score} />)
        ) : (
          <span className="muted">Not scored (the scorers gave no readable answer).</span>
        )}
      </p>
      <p className="muted small">
        {latest.model}, prompt {latest.promptVersion}, {formatDate(latest.createdAt)}.
        {baselines.length > 0 ? (
          <span data-testid="explanation-baseline">
            {" "}
            Chance in this study (a feature scored with another feature's explanation):{" "}
            {baselines
              .map((b) => `${SCORE_MEANING[b.kind]?.label ?? b.kind} ${b.value.toFixed(2)} (n = ${b.n})`)
              .join(", ")}
            .
          </span>
        ) : null}
      </p>
      {older.length > 0 ? (
        <details>
          <summary>Earlier explanations ({older.length})</summary>
          <ul>
            {older.map((e) => (
              <li key={e.id}>
                {e.text}{" "}
                <span className="muted">
                  ({e.scores.map((s) => `${SCORE_MEANING[s.kind]?.label ?? s.kind} ${s.value.toFixed(2)}`).join(", ")})
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
