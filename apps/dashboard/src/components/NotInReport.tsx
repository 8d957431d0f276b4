/** The line shown for a part of the evidence the study's report.json does not have. */
export function NotInReport({ what }: { what: string }) {
  return (
    <p className="muted" data-testid="not-in-report">
      {what}: not in this study&apos;s report.
    </p>
  );
}
