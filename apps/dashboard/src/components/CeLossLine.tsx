import { formatPercent } from "../lib/format";
import type { CeLoss } from "../lib/report";

const loss = (value: number | null) => (value === null ? "—" : value.toFixed(4));

/** The language model's loss with the SAE and with SAE + NFM spliced in, and the share of the gap the NFM closes. */
export function CeLossLine({ ceLoss }: { ceLoss: CeLoss }) {
  const tokens = ceLoss.tokens !== null ? ` (${ceLoss.tokens.toLocaleString("en-US")} held-out tokens)` : "";
  const losses =
    `clean ${loss(ceLoss.withoutSae)}, with the SAE spliced in ${loss(ceLoss.withSae)} ` +
    `(ce_loss_score ${loss(ceLoss.scoreSae)}), with SAE + full NFM ${loss(ceLoss.withSaeNfm)} ` +
    `(ce_loss_score ${loss(ceLoss.scoreSaeNfm)}).`;
  return (
    <p data-testid="ce-loss">
      <strong>Cross-entropy loss{tokens}:</strong> {losses} The NFM recovers{" "}
      <strong>{formatPercent(ceLoss.gapRecoveredByNfm, 2)}</strong> of the loss the SAE adds.
    </p>
  );
}
