export default function Loading() {
  return (
    <p className="muted" role="status" data-testid="feature-loading">
      Loading the feature's histograms, examples and logit effects…
    </p>
  );
}
