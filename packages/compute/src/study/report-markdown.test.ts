import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleReport } from "../testing/sample-report.js";
import { GAINS, JOINT_COMPARISONS, MODELS } from "./evidence-tables.js";
import { renderReportMarkdown } from "./report-markdown.js";

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

test("report.md lists every model and gain of the tables with its figures", () => {
  const report = sampleReport({ joint: true });
  const md = renderReportMarkdown(report);
  for (const entry of MODELS) {
    const fit = (report[entry.group] as Record<string, { er: number } | null>)[entry.name];
    assert.ok(fit);
    assert.match(md, new RegExp(`\\| (NFM|control) ${entry.name} \\| ${pct(fit.er)} \\|`), entry.name);
  }
  for (const gain of GAINS) {
    assert.ok(md.includes(`| ${gain.name} (${gain.a} − ${gain.b}) | ${pct(report[gain.name]!.value)} |`), gain.name);
  }
  assert.match(md, /\| control linear_f \| [^|]+ \| [^|]+ \| closed form, λ 0\.250 \|/);
  assert.match(md, /\| NFM full \| [^|]+ \| [^|]+ \| early stopped after 3\.5 epochs, lr 0\.001 \|/);
  assert.match(md, /\| NFM interaction_only \| [^|]+ \| [^|]+ \| budget exhausted after 3\.5 epochs, lr 0\.001 \|/);
  assert.match(md, /Every model converged: \*\*no\*\*/);
  assert.equal(md.split("interaction_gain_over_x were removed").length, 2, "the removal is explained once");
  for (const comparison of JOINT_COMPARISONS) assert.ok(md.includes(`| ${comparison.name} (`), comparison.name);
  assert.ok(md.includes(report.verdict.sentence));
});

test("a skipped control and an off joint mode are left out", () => {
  const md = renderReportMarkdown(sampleReport({ residualSae: false }));
  assert.doesNotMatch(md, /residual_sae/);
  assert.doesNotMatch(md, /Joint fine-tuning/);
});
