import assert from "node:assert/strict";
import { test } from "node:test";
import type { EvidenceFieldsFragment } from "@interlace/schema";
import { renderToStaticMarkup } from "react-dom/server";
import { EvidenceSection } from "./EvidenceSection";

const fit = (
  name: string,
  group: "NFM" | "CONTROLS",
  er: number,
  status: "CLOSED_FORM" | "EARLY_STOPPED" | "BUDGET_EXHAUSTED",
) => ({
  name,
  group,
  description: `what ${name} is`,
  shuffledTargets: false,
  er,
  ci95: [er - 0.01, er + 0.01],
  seeds: [{ seed: 0, er }],
  parameters: 1200,
  descriptive: group === "CONTROLS" && er === 0,
  fit: status,
  epochs: status === "CLOSED_FORM" ? null : 4.5,
  lr: status === "CLOSED_FORM" ? null : 0.003,
  ridge: status === "CLOSED_FORM" ? 0.25 : null,
  trainEr: er + 0.05,
  valEr: er + 0.01,
  curve: [0, 1, 2, 3].map((at) => ({ at, valEr: er - 0.01 * (3 - at) })),
});

/** Evidence with names no table of the dashboard could know: the page must show whatever the server lists. */
function evidence(): EvidenceFieldsFragment {
  return {
    verdict: { beatsAllControls: false, sentence: "No evidence for interactions (test)." },
    converged: false,
    warnings: ["Few held-out windows (test)."],
    models: [
      fit("zeta_variant", "NFM", 0.3, "EARLY_STOPPED"),
      fit("omega_control", "CONTROLS", 0.2, "CLOSED_FORM"),
      fit("kappa_control", "CONTROLS", 0, "BUDGET_EXHAUSTED"),
    ],
    gains: [
      {
        name: "zeta_over_omega",
        value: 0.1,
        ci95: [0.05, 0.15],
        compares: ["zeta_variant", "omega_control"],
        description: "Positive: zeta wins.",
      },
      {
        name: "omega_over_kappa",
        value: 0.2,
        ci95: [-0.1, 0.4],
        compares: ["omega_control", "kappa_control"],
        description: "Positive: omega wins.",
      },
    ],
    ceLoss: null,
    residualSaeByL1: [],
    jointFinetune: {
      label: "Joint mode (test).",
      sentence: "Joint sentence (test).",
      steps: 30,
      arms: [{ name: "arm_one", role: "nfm", l0Change: 1, after: { ev: 0.8, ci95: [0.79, 0.81], saeEv: 0.7, l0: 40 } }],
      comparisons: [
        {
          name: "joint_alpha",
          value: 0.02,
          ci95: [0.01, 0.03],
          compares: ["arm_one", "arm_two"],
          description: "Positive: alpha.",
        },
        { name: "joint_beta", value: null, ci95: null, compares: [], description: "Positive: beta." },
      ],
    },
    provenance: {
      model: "test-model",
      hook: "blocks.1.hook_resid_post",
      tokens: 1000,
      seeds: [0],
      backend: "wasm",
      saeSource: "trained",
      packageVersion: "0.1.0",
      gitCommit: null,
      createdAt: "2025-01-02T03:04:05.000Z",
      seconds: 12.5,
      configs: { dSae: 64 },
    },
  };
}

const render = (value: EvidenceFieldsFragment | null) =>
  renderToStaticMarkup(<EvidenceSection studyId="s1" evidence={value} report={{ any: "json" }} />);

test("every model the evidence lists gets a table row and a point on the chart, grouped", () => {
  const given = evidence();
  const html = render(given);
  for (const model of given.models) {
    assert.ok(html.includes(`data-model="${model.name}"`), `table row of ${model.name}`);
    assert.ok(html.includes(`>${model.name}</text>`), `chart label of ${model.name}`);
    assert.ok(html.includes(model.description), `description of ${model.name}`);
  }
  assert.equal(html.match(/data-testid="er-row"/g)?.length, given.models.length);
  assert.equal(html.match(/class="er-point"/g)?.length, given.models.length);
  assert.ok(html.indexOf("NFM variants") < html.indexOf("Controls"));
});

test("every model shows how it was fitted: status, tuning, train and validation ER, and its validation curve", () => {
  const html = render(evidence());
  assert.equal(html.match(/data-testid="fit-cell"/g)?.length, 3);
  assert.equal(html.match(/data-testid="fit-curve"/g)?.length, 3);
  assert.match(html, /data-fit="EARLY_STOPPED"><span class="fit-status fit-early_stopped">early stopped</);
  assert.ok(html.includes("lr 0.003 · 4.5 epochs"));
  assert.ok(html.includes("λ 0.25"));
  assert.ok(html.includes("train 25.0% · validation 21.0%"));
  assert.match(html, /fit-budget_exhausted">budget exhausted</);
  assert.ok(html.includes("descriptive</span>"), "a descriptive figure is marked");
  assert.match(html, /Every model converged: <strong>no<\/strong>/);
});

test("every gain and joint comparison gets a row saying what it compares", () => {
  const given = evidence();
  const html = render(given);
  for (const gain of given.gains) {
    const [a, b] = gain.compares;
    assert.ok(html.includes(`data-key="${gain.name}"`), gain.name);
    assert.ok(html.includes(`ER(${a}) − ER(${b}). ${gain.description}`), `${gain.name} compares`);
  }
  assert.equal(html.match(/data-testid="gains-row"/g)?.length, given.gains.length);
  assert.ok(html.includes("yes, above 0") && html.includes(">no<"), "whether each CI excludes 0");
  assert.ok(html.includes("EV(arm_one) − EV(arm_two). Positive: alpha."));
  assert.match(html, /data-key="joint_beta".*not computed/);
  assert.equal(html.match(/data-testid="joint-comparisons-row"/g)?.length, 2);
});

test("verdict, warnings, provenance and the absent parts", () => {
  const html = render(evidence());
  assert.ok(html.includes('data-testid="verdict-answer">no<'));
  assert.ok(html.includes("No evidence for interactions (test)."));
  assert.ok(html.includes("Few held-out windows (test)."));
  assert.ok(html.includes("blocks.1.hook_resid_post") && html.includes("&quot;dSae&quot;: 64"));
  assert.ok(html.includes("The CE loss: not in this study") && html.includes("The residual SAE sweep: not in"));
  assert.match(render(null), /The evidence \(verdict, controls, gains\): not in this study/);
});
