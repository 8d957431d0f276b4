import { AnalyzeTextDocument, type AnalyzeTextQuery, StudyNameDocument } from "@interlace/schema";
import Link from "next/link";
import { ErrorPanel } from "../../../../components/ErrorPanel";
import { FeatureLink } from "../../../../components/FeatureLink";
import { displayToken, formatNumber } from "../../../../lib/format";
import type { SearchParams } from "../../../../lib/pagination";
import { serverQuery } from "../../../../lib/server-query";
import { pairHref, readTextHref } from "../../../../lib/steering";
import { tokenShade } from "../../../../lib/token-shade";

export const dynamic = "force-dynamic";

const MAX_TEXT = 4000;
const INTERACTION = "interaction";
/** Features offered for shading: the strongest of the text's. */
const SHADE_CHOICES = 40;

type Reading = AnalyzeTextQuery["analyzeText"];
type TokenReading = Reading["tokens"][number];

function param(query: SearchParams, name: string): string {
  const value = query[name];
  return typeof value === "string" ? value : "";
}

/** The value shading a token: the interaction norm, or the chosen feature's value (0 outside its top features). */
function shadeValue(token: TokenReading, shade: string): number {
  if (shade === INTERACTION) return token.interactionNorm ?? 0;
  return token.features.find((f) => String(f.index) === shade)?.value ?? 0;
}

/** The text's features, strongest first (by their largest value on any token). */
function strongestFeatures(reading: Reading): { index: number; max: number }[] {
  const best = new Map<number, number>();
  for (const token of reading.tokens) {
    for (const f of token.features) best.set(f.index, Math.max(best.get(f.index) ?? 0, f.value));
  }
  return [...best.entries()]
    .map(([index, max]) => ({ index, max }))
    .sort((a, b) => b.max - a.max || a.index - b.index)
    .slice(0, SHADE_CHOICES);
}

function TextForm({
  action,
  text,
  shade,
  choices,
}: {
  action: string;
  text: string;
  shade: string;
  choices: number[];
}) {
  return (
    <form method="get" action={action} className="read-form" data-testid="read-form">
      <label className="steer-prompt">
        Text
        <textarea name="text" rows={4} maxLength={MAX_TEXT} defaultValue={text} required data-testid="read-text" />
      </label>
      <div className="read-controls">
        <label>
          Shade tokens by
          <select name="shade" defaultValue={shade} data-testid="read-shade">
            <option value={INTERACTION}>NFM interaction norm</option>
            {shade !== INTERACTION && !choices.includes(Number(shade)) && /^\d+$/.test(shade) ? (
              <option value={shade}>feature #{shade}</option>
            ) : null}
            {choices.map((index) => (
              <option key={index} value={String(index)}>
                feature #{index}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="read-submit">
          Read
        </button>
      </div>
    </form>
  );
}

function TokenDetails({ studyId, token, at }: { studyId: string; token: TokenReading; at: number }) {
  return (
    <section className="panel" aria-labelledby="token-heading" data-testid="token-details">
      <h2 id="token-heading">
        Token {at}: <span className="mono">“{displayToken(token.token)}”</span>
      </h2>
      <p className="muted">
        SAE error norm {formatNumber(token.errorNorm, 3)} · NFM interaction norm{" "}
        {token.interactionNorm === null ? "— (the study kept no NFM)" : formatNumber(token.interactionNorm, 3)}
      </p>
      <div className="panel-pair">
        <div>
          <h3>Active features</h3>
          {token.features.length === 0 ? (
            <p className="muted">No feature is active on this token.</p>
          ) : (
            <table className="table" data-testid="token-features">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {token.features.map((f) => (
                  <tr key={f.index}>
                    <td>
                      <FeatureLink studyId={studyId} index={f.index} />
                    </td>
                    <td>{formatNumber(f.value, 3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>Top pairs</h3>
          {token.pairs.length === 0 ? (
            <p className="muted">No pair of its active features contributes here.</p>
          ) : (
            <table className="table" data-testid="token-pairs">
              <thead>
                <tr>
                  <th scope="col">Pair</th>
                  <th scope="col">Contribution</th>
                </tr>
              </thead>
              <tbody>
                {token.pairs.map((p) => (
                  <tr key={`${p.a}-${p.b}`}>
                    <td>
                      <Link href={pairHref(studyId, p.a, p.b)} data-testid="pair-link">
                        #{p.a} × #{p.b}
                      </Link>
                    </td>
                    <td>{formatNumber(p.contribution, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}

export default async function ReadTextPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const text = param(query, "text").slice(0, MAX_TEXT);
  const shadeParam = param(query, "shade");
  const shade = shadeParam === "" || !/^(interaction|\d+)$/.test(shadeParam) ? INTERACTION : shadeParam;
  const chosen = /^\d+$/.test(param(query, "t")) ? Number(param(query, "t")) : null;
  const studyHref = `/studies/${encodeURIComponent(id)}`;
  const action = `${studyHref}/read`;

  if (text.trim() === "") {
    const named = await serverQuery(StudyNameDocument, { studyId: id });
    if (!named.ok) return <ErrorPanel title="The study is unavailable" message={named.message} />;
    if (!named.data.study) {
      return (
        <ErrorPanel
          title="No such study"
          message={`The server has no study with id "${id}". Pick one from the studies list on the home page.`}
        />
      );
    }
    return (
      <>
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <Link href="/">Studies</Link> / <Link href={studyHref}>{named.data.study.name}</Link> /{" "}
          <span>Run my text</span>
        </nav>
        <h1>Run my text</h1>
        <section className="panel">
          <TextForm action={action} text="" shade={shade} choices={[]} />
          <p className="muted" data-testid="read-empty">
            Type a text (up to the model's context) and press Read: every token is shown with the study's most active
            features, the SAE's error, the NFM's interaction output and the feature pairs contributing most there.
          </p>
        </section>
      </>
    );
  }

  const outcome = await serverQuery(AnalyzeTextDocument, { studyId: id, text });
  if (!outcome.ok) {
    return (
      <>
        <h1>Run my text</h1>
        <section className="panel">
          <TextForm action={action} text={text} shade={shade} choices={[]} />
        </section>
        <ErrorPanel title="The text could not be read" message={outcome.message} />
      </>
    );
  }
  const { study, analyzeText: reading } = outcome.data;
  const choices = strongestFeatures(reading);
  const values = reading.tokens.map((token) => shadeValue(token, shade));
  const scaleMax = Math.max(0, ...values);
  const selected = chosen !== null ? reading.tokens[chosen] : undefined;
  const shadeLabel = shade === INTERACTION ? "the NFM interaction norm" : `feature #${shade}`;

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={studyHref}>{study?.name ?? id}</Link> / <span>Run my text</span>
      </nav>
      <h1>Run my text</h1>
      <section className="panel">
        <TextForm action={action} text={text} shade={shade} choices={choices.map((c) => c.index)} />
      </section>
      <section className="panel" aria-labelledby="reading-heading" data-testid="reading">
        <h2 id="reading-heading">Tokens shaded by {shadeLabel}</h2>
        <p className="muted">
          {reading.tokens.length} tokens at <span className="mono">{reading.hook}</span>; darkest ={" "}
          {formatNumber(scaleMax, 3)}. A feature counts as 0 on tokens where it is not among the 8 most active. Click a
          token for its features and pairs.
        </p>
        <p className="example-text read-text">
          {reading.tokens.map((token, at) => (
            <Link
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; their position is their identity
              key={at}
              href={readTextHref(id, { text, shade, token: at })}
              className={at === chosen ? "token token-max" : "token"}
              style={tokenShade(values[at] ?? 0, scaleMax)}
              title={`${shadeLabel}: ${formatNumber(values[at] ?? 0, 3)}`}
              data-testid="read-token"
              scroll={false}
            >
              {displayToken(token.token)}
            </Link>
          ))}
        </p>
        {reading.tokens.length === 0 ? <p className="muted">The text has no tokens.</p> : null}
      </section>
      {selected && chosen !== null ? (
        <TokenDetails studyId={id} token={selected} at={chosen} />
      ) : (
        <p className="muted" data-testid="token-hint">
          Click a token to see its active features and top pairs.
        </p>
      )}
    </>
  );
}
