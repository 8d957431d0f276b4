"use client";

import { StimulusAnalysisDocument } from "@interlace/schema";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { formatPercent } from "../lib/format";
import { isActiveRun, RUN_POLL_MS } from "../lib/runs";
import {
  chartData,
  contrastSentence,
  formatP,
  formatStat,
  itemHref,
  itemLabel,
  pairHref,
} from "../lib/stimulus-results";
import { CellDistributions } from "./CellDistributions";
import { type FactorNames, InteractionPlot } from "./InteractionPlot";

const EFFECT_LABEL: Record<string, string> = { a: "A", b: "B", ab: "A×B" };

function factorNames(design: unknown): FactorNames {
  const d = (design ?? {}) as Partial<FactorNames>;
  return {
    a: { name: d.a?.name ?? "A", levels: d.a?.levels ?? ["absent", "present"] },
    b: { name: d.b?.name ?? "B", levels: d.b?.levels ?? ["absent", "present"] },
  };
}

/** A stimulus analysis: live progress while it runs, then its plot, distributions, ANOVA table and discoveries. */
export function StimulusResults({ id }: { id: string }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const [{ data, error }, refetch] = useQuery({ query: StimulusAnalysisDocument, variables: { id }, pause: !mounted });
  const analysis = data?.stimulusAnalysis;
  const active = analysis ? isActiveRun(analysis.status) : false;
  const [measure, setMeasure] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [active, refetch]);

  if (error) {
    return (
      <p className="error-text" role="alert">
        {describeFailure(error, PROXY_LABEL)}
      </p>
    );
  }
  if (!analysis)
    return <p className="muted">{data ? `No stimulus analysis has id ${id}.` : "Loading the analysis…"}</p>;

  const names = factorNames(analysis.design);
  const chart = chartData(analysis.chart);
  const chosen = chart?.chart.find((c) => c.measure === (measure ?? analysis.measure)) ?? chart?.chart[0];
  const studyId = analysis.studyId;

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Studies</Link> / <Link href={`/studies/${encodeURIComponent(studyId)}`}>Study</Link> /{" "}
        <span>{analysis.name}</span>
      </nav>
      <h1>{analysis.name}</h1>
      <p className="muted">
        {names.a.name} ({names.a.levels.join(" / ")}) × {names.b.name} ({names.b.levels.join(" / ")}); ANOVA type{" "}
        {analysis.anovaType === 3 ? "III" : "II"}
      </p>
      <section
        className="panel"
        aria-labelledby="status-heading"
        data-testid="stimulus-status"
        data-status={analysis.status}
      >
        <h2 id="status-heading">
          Status:{" "}
          <span className={`status status-${analysis.status.toLowerCase()}`}>{analysis.status.toLowerCase()}</span>
        </h2>
        {active || analysis.status === "FAILED" ? (
          <p>
            <progress max={1} value={analysis.progress} aria-label="analysis progress" />{" "}
            {formatPercent(analysis.progress, 0)} {analysis.error ?? analysis.message ?? ""}
          </p>
        ) : null}
      </section>
      {chart && chosen ? (
        <>
          <section className="panel" aria-labelledby="plot-heading">
            <h2 id="plot-heading">Interaction plot</h2>
            <label className="inline-label">
              Measure{" "}
              <select
                value={chosen.measure}
                onChange={(event) => setMeasure(event.target.value)}
                data-testid="measure-select"
              >
                {chart.chart.map((c) => (
                  <option key={c.measure} value={c.measure}>
                    {c.measure}
                  </option>
                ))}
              </select>
            </label>
            <div className="plot-row">
              <InteractionPlot cells={chosen.cells} names={names} measure={chosen.measure} />
              <CellDistributions values={chosen.values} prompts={chart.prompts} measure={chosen.measure} />
            </div>
          </section>
          <section className="panel" aria-labelledby="anova-heading">
            <h2 id="anova-heading">{analysis.measure}: ANOVA and contrast</h2>
            <p data-testid="contrast-sentence">
              {contrastSentence(analysis.contrast ?? null, {
                a: names.a.name,
                b: names.b.name,
                measure: analysis.measure,
              })}
            </p>
            <div className="table-scroll">
              <table className="table" data-testid="anova-table">
                <thead>
                  <tr>
                    <th scope="col">Term</th>
                    <th scope="col" className="numeric">
                      F
                    </th>
                    <th scope="col" className="numeric">
                      p
                    </th>
                    <th scope="col" className="numeric">
                      partial η²
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.anova.map((row) => (
                    <tr key={row.term} data-testid="anova-row" data-term={row.term}>
                      <td>
                        {row.term === "a"
                          ? names.a.name
                          : row.term === "b"
                            ? names.b.name
                            : `${names.a.name} × ${names.b.name}`}
                      </td>
                      <td className="numeric">{formatStat(row.F)}</td>
                      <td className="numeric">{formatP(row.p)}</td>
                      <td className="numeric">{formatStat(row.partialEta2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="table-scroll">
              <table className="table" data-testid="cells-table">
                <thead>
                  <tr>
                    <th scope="col">Cell</th>
                    <th scope="col" className="numeric">
                      n
                    </th>
                    <th scope="col" className="numeric">
                      mean
                    </th>
                    <th scope="col">95% CI</th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.cells.map((c) => (
                    <tr key={`${c.a}${c.b}`}>
                      <td>
                        {names.a.levels[c.a]}, {names.b.levels[c.b]}
                      </td>
                      <td className="numeric">{c.n}</td>
                      <td className="numeric">{formatStat(c.mean)}</td>
                      <td>
                        [{formatStat(c.ci95[0])}, {formatStat(c.ci95[1])}]
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel" aria-labelledby="discovered-heading">
            <h2 id="discovered-heading">What each factor moves</h2>
            <p className="muted">
              {chart.tested} features and interaction dimensions tested; q is the Benjamini–Hochberg FDR across all of
              them. {chart.constant_features.length} features were constant on these prompts and are never reported
              {chart.constant_targets.length > 0 ? ` (targets among them: ${chart.constant_targets.join(", ")})` : ""}.
            </p>
            <div className="table-scroll">
              <table className="table" data-testid="discovered-table">
                <thead>
                  <tr>
                    <th scope="col">Effect</th>
                    <th scope="col">Item</th>
                    <th scope="col" className="numeric">
                      effect size
                    </th>
                    <th scope="col" className="numeric">
                      p
                    </th>
                    <th scope="col" className="numeric">
                      q
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.discovered.map((d) => (
                    <tr key={`${d.effect}-${d.kind}-${d.index}`} data-testid="discovered-row">
                      <td>{EFFECT_LABEL[d.effect] ?? d.effect}</td>
                      <td>
                        <Link href={itemHref(studyId, d.kind, d.index)}>{itemLabel(d.kind, d.index)}</Link>
                      </td>
                      <td className="numeric">{formatStat(d.value)}</td>
                      <td className="numeric">{formatP(d.p)}</td>
                      <td className="numeric">{formatP(d.q)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {chart.pairs.length > 0 ? (
              <>
                <h3>Pairs: top A-features × top B-features</h3>
                <p className="muted">
                  The NFM's contribution of each pair on the prompts; the contrast says how much more the pair
                  contributes when both factors are present.
                </p>
                <div className="table-scroll">
                  <table className="table" data-testid="pairs-table">
                    <thead>
                      <tr>
                        <th scope="col">Pair</th>
                        <th scope="col" className="numeric">
                          contrast
                        </th>
                        <th scope="col" className="numeric">
                          A×B p
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {chart.pairs.slice(0, 10).map((p) => (
                        <tr key={`${p.a}-${p.b}`}>
                          <td>
                            <Link href={pairHref(studyId, p.a, p.b)}>
                              {p.a} × {p.b}
                            </Link>
                          </td>
                          <td className="numeric">{formatStat(p.contrast)}</td>
                          <td className="numeric">{formatP(p.p)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : null}
          </section>
        </>
      ) : null}
    </>
  );
}
