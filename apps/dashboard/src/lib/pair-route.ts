// Addresses of a study's interaction pages: a pair (lower index first), a K dimension and the interaction map.

const study = (studyId: string) => `/studies/${encodeURIComponent(studyId)}`;

export function pairHref(studyId: string, a: number, b: number): string {
  return `${study(studyId)}/interactions/${Math.min(a, b)}-${Math.max(a, b)}`;
}

export function kDimensionHref(studyId: string, index: number): string {
  return `${study(studyId)}/k/${index}`;
}

export function interactionMapHref(studyId: string): string {
  return `${study(studyId)}/interaction-map`;
}

/** "a-b" (two distinct whole numbers ≥ 0) as a pair, or null. */
export function parsePair(raw: string): { a: number; b: number } | null {
  const match = /^(\d{1,9})-(\d{1,9})$/.exec(raw);
  if (!match) return null;
  const a = Number(match[1]);
  const b = Number(match[2]);
  return a === b ? null : { a, b };
}
