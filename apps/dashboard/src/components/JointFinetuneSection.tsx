import type { JointFinetune } from "../lib/report";
import { ComparisonTable } from "./ComparisonTable";
import { JointArmsTable } from "./JointArmsTable";

const FALLBACK_LABEL =
  "Joint fine-tuning changes the SAE itself, so these figures are not comparable with the frozen-SAE controls above.";

/** The separate joint fine-tuning mode, under its label: the SAE changes, so nothing here compares with the above. */
export function JointFinetuneSection({ joint }: { joint: JointFinetune }) {
  return (
    <div data-testid="joint-finetune">
      <div className="callout" role="note" data-testid="joint-label">
        <strong>Not comparable with the frozen-SAE figures above.</strong> {joint.label ?? FALLBACK_LABEL}
      </div>
      {joint.steps !== null ? <p className="muted">Every arm was fine-tuned for {joint.steps} steps.</p> : null}
      {joint.sentence ? <p>{joint.sentence}</p> : null}
      {joint.arms.length > 0 ? (
        <JointArmsTable arms={joint.arms} />
      ) : (
        <p className="muted">No arms in this study&apos;s report.</p>
      )}
      <ComparisonTable
        caption="Joint fine-tuning comparisons"
        rows={joint.comparisons}
        testId="joint-comparisons"
        missing="not in this study's report (it needs an arm the study lacks)"
      />
    </div>
  );
}
