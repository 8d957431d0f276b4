import Link from "next/link";
import { BrowserUrqlProvider } from "../../../../../components/BrowserUrqlProvider";
import { SIGN_IN_REASON } from "../../../../../components/RunsSection";
import { StimulusForm } from "../../../../../components/StimulusForm";
import { currentViewer } from "../../../../../lib/viewer";

export const dynamic = "force-dynamic";

export default async function NewStimulusAnalysisPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await currentViewer();
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={`/studies/${encodeURIComponent(id)}`}>Study</Link> /{" "}
        <span>New stimulus analysis</span>
      </nav>
      <h1>New stimulus analysis</h1>
      <p>
        Write prompts for a 2×2 design: factor A absent or present × factor B absent or present. The analysis reads the
        study's model, SAE and NFM on every prompt and asks which features and interaction dimensions each factor moves,
        and whether the combination does more than the sum of the two.
      </p>
      <section className="panel">
        {viewer ? (
          <BrowserUrqlProvider>
            <StimulusForm studyId={id} />
          </BrowserUrqlProvider>
        ) : (
          <p className="muted" data-testid="actions-reason">
            {SIGN_IN_REASON}
          </p>
        )}
      </section>
    </>
  );
}
