import type { EvidenceFieldsFragment } from "@interlace/schema";
import { formatPercent } from "../lib/format";

type CeLoss = NonNullable<EvidenceFieldsFragment["ceLoss"]>;

const loss = (value: number) => value.toFixed(4);

/** The language model's loss with the SAE and with SAE + NFM spliced in, and the share of the gap the NFM closes. */
export function CeLossLine({ ceLoss }: { ceLoss: CeLoss }) {
  const losses =
    `clean ${loss(ceLoss.ceLossWithoutSae)}, with the SAE spliced in ${loss(ceLoss.ceLossWithSae)} ` +
    `(ce_loss_score ${loss(ceLoss.ceLossScoreSae)}), with SAE + full NFM ${loss(ceLoss.ceLossWithSaeNfm)} ` +
    `(ce_loss_score ${loss(ceLoss.ceLossScoreSaeNfm)}).`;
  return (
    <p data-testid="ce-loss">
      <strong>Cross-entropy loss ({ceLoss.tokens.toLocaleString("en-US")} held-out tokens):</strong> {losses} The NFM
      recovers <strong>{formatPercent(ceLoss.ceGapRecoveredByNfm, 2)}</strong> of the loss the SAE adds.
    </p>
  );
}
