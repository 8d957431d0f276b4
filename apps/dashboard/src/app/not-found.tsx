import Link from "next/link";

export default function NotFound() {
  return (
    <div className="panel">
      <h2>Not found</h2>
      <p>
        There is no such page. <Link href="/">Back to the studies</Link>
      </p>
    </div>
  );
}
