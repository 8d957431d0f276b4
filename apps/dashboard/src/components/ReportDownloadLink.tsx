"use client";

import { useEffect, useState } from "react";

/** A link that saves the study's full report.json, made in the browser from the report the page already has. */
export function ReportDownloadLink({ report, fileName }: { report: unknown; fileName: string }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: "application/json" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [report]);
  if (!href) return <span className="muted">Preparing report.json…</span>;
  return (
    <a href={href} download={fileName} data-testid="report-download">
      Download report.json
    </a>
  );
}
