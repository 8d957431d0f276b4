import type { JointFinetuneFieldsFragment } from "@interlace/schema";
import { ComparisonTable } from "./ComparisonTable";
import { JointArmsTable } from "./JointArmsTable";

/** The separate joint fine-tuning mode, under its label: the SAE changes, so nothing here compares with the above. */
export function JointFinetuneSection({ joint }: { joint: JointFinetuneFieldsFragment }) {
  return (
    <div data-testid="joint-finetune">
      <div className="callout" role="note" data-testid="joint-label">
        <strong>Not comparable with the frozen-SAE figures above.</strong> {joint.label}
      </div>
      <p className="muted">Every arm was fine-tuned for {joint.steps} steps.</p>
      <p>{joint.sentence}</p>
      {joint.arms.length > 0 ? (
        <JointArmsTable arms={joint.arms} />
      ) : (
        <p className="muted">No arms in this study&apos;s report.</p>
      )}
      <ComparisonTable
        caption="Joint fine-tuning comparisons"
        rows={joint.comparisons}
        measure="EV"
        testId="joint-comparisons"
        missing="not computed (it needs an arm the study lacks)"
      />
    </div>
  );
}
