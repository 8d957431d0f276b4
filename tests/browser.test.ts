import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GAINS, MODELS } from "@interlace/compute/evidence";
import { openDatabase } from "@interlace/server";
import { repoRoot } from "./support/cli.js";
import { fixtureModelRoots, productInBrowser, runTinyStudy } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
/** The browser study's id and the feature whose page is checked (one with interaction partners). */
let studyId = "";
let featureIndex = 0;
/** Markup stored in that feature's first example: the page must show it as text. */
const HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">'];
/** The report.json the CLI wrote for the study, to check the page against. */
let report: {
  verdict: { sentence: string };
  converged: boolean;
  controls: { permutation_null: { er: number } };
} = { verdict: { sentence: "" }, converged: false, controls: { permutation_null: { er: Number.NaN } } };

const product = productInBrowser("browser", {
  env: fixtureModelRoots(),
  prepare: async (home) => {
    const study = await runTinyStudy(home, "browser study");
    studyId = study.studyId;
    const studyDir = /report in (.+)$/m.exec(study.stdout)?.[1];
    assert.ok(studyDir, `the CLI names the study folder:\n${study.stdout}`);
    report = JSON.parse(readFileSync(join(studyDir, "report.json"), "utf8"));
    const db = await openDatabase({ home, databaseUrl: undefined });
    try {
      const [strongest] = await db.sql<{ a: number }[]>`
        select a from interactions where study_id = ${studyId} order by strength desc limit 1`;
      featureIndex = strongest!.a;
      await db.sql`
        update feature_examples set tokens = array_cat(${HOSTILE}::text[], tokens[3:])
        where study_id = ${studyId} and feature_index = ${featureIndex} and rank = 0`;
    } finally {
      await db.close();
    }
  },
});
const { skip, home } = product;

/** A new page on the studies list, collecting page errors, that has followed the link to the browser study. */
async function openStudyPage() {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(product.dashboardUrl);
  const row = page.getByTestId("study-row").filter({ hasText: "browser study" });
  await row.first().waitFor();
  await row.first().getByRole("link").first().click();
  return { page, errors };
}

test("a person goes from the studies list to a feature page and sees its examples", { skip }, async () => {
  const { page, errors } = await openStudyPage();

  await page.getByTestId("metric-sae-explained-variance").waitFor();
  const featureRows = page.getByTestId("feature-row");
  await featureRows.first().waitFor();
  assert.ok((await featureRows.count()) > 5, "the features table shows features");

  await page.getByTestId("sort-max-activation").click();
  await page.waitForURL(/order=MAX_ACTIVATION/);
  await featureRows.first().getByRole("link").first().click();

  const examples = page.getByTestId("activation-example");
  await examples.first().waitFor();
  assert.ok((await examples.count()) >= 1, "the feature page shows activation examples");
  const tokens = examples.first().getByTestId("token");
  assert.ok((await tokens.count()) > 3, "an example shows its tokens");
  const values = await tokens.evaluateAll((spans) => spans.map((s) => Number(s.getAttribute("data-value"))));
  assert.ok(Math.max(...values) > 0, "the example's tokens carry the feature's activations");

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "feature-page.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("the study page shows the evidence: verdict, every model's ER with its CI, and the chart", { skip }, async () => {
  const { page, errors } = await openStudyPage();

  const evidence = page.getByTestId("evidence");
  await evidence.waitFor();
  assert.match((await evidence.getByTestId("verdict-answer").textContent()) ?? "", /^(yes|no)$/);
  assert.equal(await evidence.getByTestId("verdict-sentence").textContent(), report.verdict.sentence);

  const nullRow = evidence.locator('[data-testid="er-row"][data-model="permutation_null"]');
  const nullEr = `${(report.controls.permutation_null.er * 100).toFixed(2)}%`;
  assert.match((await nullRow.textContent()) ?? "", /permutation_null/);
  assert.equal(await nullRow.locator("td.numeric").first().textContent(), nullEr, "the null row shows its ER");
  assert.equal(await evidence.getByTestId("er-row").count(), MODELS.length, "one row per NFM variant and control");
  assert.equal(await evidence.getByTestId("gains-row").count(), GAINS.length, "one row per gain");
  assert.equal(await evidence.getByTestId("fit-cell").count(), MODELS.length, "each model shows how it was fitted");
  assert.ok((await evidence.getByTestId("fit-curve").count()) >= MODELS.length - 1, "and its validation curve");
  assert.equal(
    await evidence.getByTestId("verdict-converged").textContent(),
    `Every model converged: ${report.converged ? "yes" : "no (see each model's fit below)"}`,
  );

  const chart = evidence.locator('svg[role="img"][data-testid="er-chart"]');
  await chart.waitFor();
  assert.ok(
    (await chart.getAttribute("aria-label"))?.includes(`permutation_null ${nullEr}`),
    "the chart names the null",
  );
  assert.ok((await chart.locator("circle.er-point").count()) >= 8, "the chart marks each model's ER");

  await evidence.getByTestId("provenance").locator("summary").click();
  const download = evidence.getByTestId("report-download");
  await download.waitFor();
  assert.match((await download.getAttribute("href")) ?? "", /^blob:/, "report.json is offered for download");

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "study-page.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });
  await evidence.getByTestId("er-table").waitFor();
  await page.screenshot({ path: join(artifacts, "study-page-390.png"), fullPage: true });
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 390, `at 390 px the page is ${pageWidth} px wide: wide tables must scroll inside their panel`);
  assert.deepEqual(errors, []);
});

test("without a token the run actions are absent and the reason shown; signed in, a person starts a run and cancels it", {
  skip,
}, async () => {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(product.dashboardUrl);
  await page.getByTestId("actions-reason").waitFor();
  assert.match((await page.getByTestId("actions-reason").textContent()) ?? "", /needs a token: sign in/);
  assert.equal(await page.getByTestId("request-run-form").count(), 0, "no run form without a token");
  assert.equal(await page.getByRole("button", { name: "Cancel" }).count(), 0, "no Cancel without a token");
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "signed-out-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "signed-out-390.png"), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, "no sideways scroll");
  await page.setViewportSize({ width: 1280, height: 900 });

  const field = page.getByTestId("sign-in").getByPlaceholder("API token");
  await field.fill(`ilc_${"x".repeat(43)}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("sign-in").getByRole("alert").waitFor();
  assert.match((await page.getByTestId("sign-in").getByRole("alert").textContent()) ?? "", /does not know this token/);

  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  await field.fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
  assert.match(
    (await page.getByTestId("session").textContent()) ?? "",
    /Signed in as dashboard \(interlace start\) \(admin\)/,
  );
  assert.equal(await page.evaluate(() => document.cookie.includes("interlace_token")), false, "the cookie is httpOnly");

  const form = page.getByTestId("request-run-form");
  await form.waitFor();
  await form.getByLabel("Name").fill("browser run");
  await form.getByLabel(/^Model/).fill("sotu-gpt2-6l");
  await form.getByLabel("Layer").fill("3");
  await form.getByLabel("Tokens").fill("4000");
  await form.getByRole("button", { name: "Request run" }).click();
  await form.getByText(/queued\./).waitFor();
  const row = page.getByTestId("run-row").first();
  await row.getByRole("button", { name: "Cancel" }).click();
  await page.locator('[data-testid="run-row"][data-status="CANCELLED"]').first().waitFor({ timeout: 120_000 });
  await page.screenshot({ path: join(artifacts, "signed-in-runs-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "signed-in-runs-390.png"), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, "no sideways scroll");
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByTestId("actions-reason").waitFor();
  assert.equal(await page.getByTestId("request-run-form").count(), 0);
  assert.deepEqual(errors, []);
});

/** The page's width beyond the viewport (0 when nothing scrolls sideways). */
async function sidewaysOverflow(page: import("playwright-core").Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const width of [1280, 390]) {
  test(`a feature page shows every panel at ${width} px, corpus text as text, without sideways scroll`, {
    skip,
  }, async () => {
    const page = await product.browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => undefined);
    });
    await page.goto(`${product.dashboardUrl}/studies/${studyId}/features/${featureIndex}`);
    await page.getByTestId("panel-partners").waitFor();

    assert.match((await page.getByTestId("metric-mean-activation").textContent()) ?? "", /\d/);
    const bars = page.getByTestId("activation-histogram").locator("rect.histogram-bar, .histogram-bar");
    assert.ok((await bars.count()) > 0, "the activation histogram has bars");
    const examples = page.getByTestId("panel-examples").getByTestId("activation-example");
    assert.ok((await examples.count()) >= 1, "top contexts are shown");
    assert.equal(await examples.first().locator('[data-max="true"]').count(), 1, "the example's own token is marked");
    assert.equal(await page.getByTestId("quantile-group").count(), 10, "ten interval groups");
    assert.equal(await page.locator('[data-testid="quantile-group"][open]').count(), 1, "only the top group is open");
    assert.equal(await page.getByTestId("top-logits").getByTestId("logit").count(), 10);
    assert.equal(await page.getByTestId("bottom-logits").getByTestId("logit").count(), 10);
    assert.ok((await page.getByTestId("logit-histogram").locator(".histogram-bar").count()) > 0);
    assert.equal(await page.getByTestId("neighbours").getByTestId("related-row").count(), 10);
    assert.ok((await page.getByTestId("co-activating").getByTestId("related-row").count()) > 0);
    assert.ok((await page.getByTestId("partner-row").count()) > 0, "interaction partners are listed");

    const text = (await examples.first().textContent()) ?? "";
    for (const markup of HOSTILE) assert.ok(text.includes(markup), `the page shows ${markup} literally`);
    assert.equal(await page.locator("main img, .example img, .example script").count(), 0, "no markup was rendered");
    assert.deepEqual(dialogs, [], "no script ran");

    assert.equal(await sidewaysOverflow(page), 0, "the page does not scroll sideways");
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `feature-page-${width}.png`), fullPage: true });

    if (width === 390) {
      await page.getByTestId("jump-input").fill("3");
      await page.getByTestId("jump-input").press("Enter");
      await page.waitForURL(/\/features\/3$/);
      await page.getByTestId("next-feature").click();
      await page.waitForURL(/\/features\/4$/);
      await page.getByTestId("panel-logits").waitFor();
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("every existing page is readable at 390 px without sideways scroll", { skip }, async () => {
  const page = await product.browser.newPage({ viewport: { width: 390, height: 900 } });
  mkdirSync(artifacts, { recursive: true });
  await page.goto(product.dashboardUrl);
  await page.getByTestId("study-row").first().waitFor();
  assert.equal(await sidewaysOverflow(page), 0, "the studies list");
  await page.screenshot({ path: join(artifacts, "studies-390.png"), fullPage: true });
  await page.goto(`${product.dashboardUrl}/studies/${studyId}`);
  await page.getByTestId("evidence").waitFor();
  await page.getByTestId("feature-row").first().waitFor();
  assert.equal(await sidewaysOverflow(page), 0, "the study page");
  await page.screenshot({ path: join(artifacts, "study-page-390.png"), fullPage: true });
  const next = page.getByRole("navigation", { name: "Features pages" }).getByRole("link", { name: "Next →" });
  await next.click();
  await page.waitForURL(/page=2/);
  await next.click();
  await page.waitForURL(/page=3/);
  assert.equal(new URL(page.url()).searchParams.getAll("after").length, 1, "one cursor in the URL, not a trail");
  await page.close();
});
