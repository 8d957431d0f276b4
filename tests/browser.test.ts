import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { GAINS, MODELS } from "@interlace/compute/evidence";
import { type Browser, chromium } from "playwright-core";
import { chromiumPath, chromiumSkipReason } from "./support/chromium.js";
import { exited, freePort, repoRoot, runCli, startCli, tinyStudyArgs } from "./support/cli.js";

const skip = chromiumSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);
const artifacts = join(repoRoot, "tests", "artifacts");
const home = mkdtempSync(join(tmpdir(), "interlace-browser-"));
let browser: Browser | undefined;
let stopStart: (() => Promise<number | null>) | undefined;
let dashboardUrl = "";
/** The report.json the CLI wrote for the study, to check the page against. */
let report: {
  verdict: { sentence: string };
  converged: boolean;
  controls: { permutation_null: { er: number } };
} = { verdict: { sentence: "" }, converged: false, controls: { permutation_null: { er: Number.NaN } } };

before(async () => {
  if (skip) return;
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
  }
  const env = { INTERLACE_HOME: home };
  const study = await runCli(tinyStudyArgs("browser study"), env);
  assert.equal(study.code, 0, study.stderr);
  const studyDir = /report in (.+)$/m.exec(study.stdout)?.[1];
  assert.ok(studyDir, `the CLI names the study folder:\n${study.stdout}`);
  report = JSON.parse(readFileSync(join(studyDir, "report.json"), "utf8"));

  const [port, dashboardPort] = [await freePort(), await freePort()];
  const started = Date.now();
  const { child } = await startCli(
    ["start", "--no-demo"],
    { ...env, PORT: String(port), DASHBOARD_PORT: String(dashboardPort) },
    /Press Ctrl-C to stop/,
  );
  console.log(`interlace start → dashboard answering: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  stopStart = async () => {
    child.kill("SIGINT");
    return exited(child);
  };
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
  if (stopStart) assert.equal(await stopStart(), 0, "interlace start did not stop cleanly on Ctrl-C");
  rmSync(home, { recursive: true, force: true });
});

/** A new page on the studies list, collecting page errors, that has followed the link to the browser study. */
async function openStudyPage() {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(dashboardUrl);
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
