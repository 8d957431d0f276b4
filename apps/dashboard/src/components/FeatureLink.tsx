import Link from "next/link";

/** "#index", linking to the feature's page in the study. */
export function FeatureLink({ studyId, index }: { studyId: string; index: number }) {
  return <Link href={`/studies/${encodeURIComponent(studyId)}/features/${index}`}>#{index}</Link>;
}
