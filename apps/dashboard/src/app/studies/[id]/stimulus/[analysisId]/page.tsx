import { BrowserUrqlProvider } from "../../../../../components/BrowserUrqlProvider";
import { StimulusResults } from "../../../../../components/StimulusResults";

export const dynamic = "force-dynamic";

export default async function StimulusAnalysisPage({ params }: { params: Promise<{ analysisId: string }> }) {
  const { analysisId } = await params;
  return (
    <BrowserUrqlProvider>
      <StimulusResults id={analysisId} />
    </BrowserUrqlProvider>
  );
}
