import { displayToken, formatNumber } from "../lib/format";

interface Effect {
  token: string;
  value: number;
}

function LogitList({ title, effects, testId }: { title: string; effects: readonly Effect[]; testId: string }) {
  return (
    <div className="logit-list" data-testid={testId}>
      <h3>{title}</h3>
      {effects.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ol>
          {effects.map((effect, rank) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the lists are ranked; rank is the identity
            <li key={rank} data-testid="logit">
              <span className="logit-token mono">{displayToken(effect.token)}</span>
              <span className="numeric">{formatNumber(effect.value, 3)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The tokens whose logits the feature's direction raises and lowers most, side by side. */
export function LogitLists({ top, bottom }: { top: readonly Effect[]; bottom: readonly Effect[] }) {
  return (
    <div className="logit-lists">
      <LogitList title="Promoted tokens" effects={top} testId="top-logits" />
      <LogitList title="Suppressed tokens" effects={bottom} testId="bottom-logits" />
    </div>
  );
}
