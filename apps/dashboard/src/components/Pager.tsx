import Link from "next/link";

/** Page links of a forward-only list: back to the first page, the page number, the next page. */
export function Pager({
  label,
  page,
  firstHref,
  nextHref,
}: {
  label: string;
  page: number;
  firstHref: string | undefined;
  nextHref: string | undefined;
}) {
  return (
    <nav className="pager" aria-label={label}>
      {firstHref ? (
        <Link href={firstHref} scroll={false}>
          ← First page
        </Link>
      ) : (
        <span className="pager-disabled">← First page</span>
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
