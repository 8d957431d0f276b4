export function Metric({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <div className="metric" data-testid={`metric-${id}`}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{value}</div>
      {detail ? <div className="metric-detail">{detail}</div> : null}
    </div>
  );
}
