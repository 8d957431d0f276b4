export function ErrorPanel({ title, message }: { title: string; message: string }) {
  return (
    <div className="panel panel-error" role="alert" data-testid="error">
      <h2>{title}</h2>
      <p>{message}</p>
    </div>
  );
}
