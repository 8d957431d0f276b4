import { RunDocument } from "@interlace/schema";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BrowserUrqlProvider } from "../../../components/BrowserUrqlProvider";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { RunDetails } from "../../../components/RunDetails";
import { serverQuery } from "../../../lib/server-query";
import { currentViewer } from "../../../lib/viewer";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [outcome, viewer] = await Promise.all([serverQuery(RunDocument, { id }), currentViewer()]);
  if (outcome.ok && !outcome.data.run) notFound();
  return (
    <>
      <p>
        <Link href="/#runs-heading">← Runs</Link>
      </p>
      <h1>Run {outcome.ok && outcome.data.run ? outcome.data.run.kind : ""}</h1>
      {!outcome.ok ? (
        <ErrorPanel title="This run is unavailable" message={outcome.message} />
      ) : outcome.data.run ? (
        <BrowserUrqlProvider>
          <RunDetails initial={outcome.data.run} canAct={viewer !== null} />
        </BrowserUrqlProvider>
      ) : null}
    </>
  );
}
