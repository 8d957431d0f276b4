export default function Loading() {
  return (
    <p className="muted" role="status" data-testid="read-loading">
      Reading the text through the study's model, SAE and NFM…
    </p>
  );
}
