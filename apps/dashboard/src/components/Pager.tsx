import Link from "next/link";

export function Pager({
  label,
  page,
  previousHref,
  nextHref,
}: {
  label: string;
  page: number;
  previousHref: string | undefined;
  nextHref: string | undefined;
}) {
  return (
    <nav className="pager" aria-label={label}>
      {previousHref ? (
        <Link href={previousHref} rel="prev" scroll={false}>
          ← Previous
        </Link>
      ) : (
        <span className="pager-disabled">← Previous</span>
      )}
      <span className="pager-page">Page {page}</span>
      {nextHref ? (
        <Link href={nextHref} rel="next" scroll={false}>
          Next →
        </Link>
      ) : (
        <span className="pager-disabled">Next →</span>
      )}
    </nav>
  );
}
