export default function Loading() {
  return (
    <p className="muted" role="status">
      Loading from the Interlace server…
    </p>
  );
}
