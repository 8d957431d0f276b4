import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { repoRoot } from "./support/cli.js";
import { fixtureModelRoots, productInBrowser, runTinyStudy } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
let studyId = "";
const product = productInBrowser("pairs", {
  env: fixtureModelRoots(),
  prepare: async (home) => {
    ({ studyId } = await runTinyStudy(home, "pairs study"));
  },
});
const { skip } = product;

async function newPage(width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await product.browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

/** Screenshots the page at 1280 and 390 px into tests/artifacts; at 390 px the page must not scroll sideways. */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} at 390 px is ${width} px wide`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("from the study page a person opens a pair, reads its measurements and shaded rows, then its K dimension", {
  skip,
}, async () => {
  const { page, errors } = await newPage();
  const studyUrl = `${product.dashboardUrl}/studies/${studyId}`;
  await page.goto(studyUrl);
  await page.getByTestId("cooccurrence").waitFor();
  const rows = page.getByTestId("interaction-row");
  await rows.first().waitFor();
  assert.ok((await rows.count()) > 3, "the study page lists interaction pairs");
  assert.equal(await rows.first().getAttribute("data-supported"), "true", "supported pairs come first");

  await page.getByTestId("supported-filter").click();
  await page.waitForURL(/supported=1/);
  await page.getByRole("link", { name: "contribution" }).click();
  await page.waitForURL(/pairOrder=CONTRIBUTION/);
  await rows.first().waitFor();
  assert.equal(await page.locator('[data-testid="interaction-row"][data-supported="false"]').count(), 0);

  await rows.first().getByTestId("pair-link").click();
  await page.waitForURL(/\/interactions\/\d+-\d+$/);
  await page.getByTestId("metric-strength").waitFor();
  assert.match((await page.getByTestId("metric-contribution").textContent()) ?? "", /over \d+ held-out rows/);
  assert.match((await page.getByTestId("metric-replication").textContent()) ?? "", /\d+ \/ \d+/);
  await page.getByTestId("pair-feature-a").waitFor();
  await page.getByTestId("pair-feature-b").waitFor();
  const example = page.getByTestId("pair-example").first();
  await example.waitFor();
  const values = async (side: string) =>
    example
      .getByTestId(`pair-token-${side}`)
      .evaluateAll((spans) => spans.map((s) => Number(s.getAttribute("data-value"))));
  assert.ok(Math.max(...(await values("a"))) > 0, "the top row shades feature A's activations");
  assert.ok(Math.max(...(await values("b"))) > 0, "and feature B's");
  assert.ok((await page.getByTestId("pair-k-row").count()) >= 1, "the pair page lists the K dimensions carrying it");
  await shoot(page, "pair-page");

  await page.getByTestId("pair-k-link").first().click();
  await page.waitForURL(/\/k\/\d+$/);
  await page.getByTestId("metric-variance").waitFor();
  const loadings = page.getByTestId("loading-row");
  assert.ok((await loadings.count()) >= 5, "the K page lists its top loading features");
  await shoot(page, "k-dimension-page");

  await loadings.first().getByRole("link").first().click();
  await page.waitForURL(/\/features\/\d+$/);
  await page.getByTestId("activation-example").first().waitFor();
  assert.deepEqual(errors, []);
});

test("the interaction map shows a heatmap and a network that lead to pair and feature pages", { skip }, async () => {
  const { page, errors } = await newPage();
  await page.goto(`${product.dashboardUrl}/studies/${studyId}/interaction-map?n=20`);
  const cells = page.getByTestId("heatmap-cell");
  await cells.first().waitFor();
  assert.equal(await cells.count(), 20 * 19, "every off-diagonal cell of a 20-feature map links to its pair");
  const edges = page.getByTestId("network-edge");
  assert.ok((await edges.count()) > 5, "the network draws the strongest pairs");
  await page.getByRole("button", { name: "Zoom in" }).first().click();
  const transform = await page.locator('[data-testid="heatmap"] > g').getAttribute("transform");
  assert.match(transform ?? "", /matrix\(1\.5/, "zooming scales the heatmap");
  await page.getByRole("button", { name: "Reset" }).first().click();
  await shoot(page, "interaction-map");

  await page.getByTestId("map-supported").check();
  await page.getByTestId("map-apply").click();
  await page.waitForURL(/supported=1/);
  await page.getByTestId("network-node").first().waitFor();

  const href = (await cells.nth(3).getAttribute("href")) ?? "";
  assert.match(href, /\/interactions\/\d+-\d+$/);
  await page.goto(`${product.dashboardUrl}${href}`);
  await page.getByTestId("metric-strength").waitFor();
  await page.getByTestId("pair-feature-a").getByRole("link").first().click();
  await page.waitForURL(/\/features\/\d+$/);
  await page.getByTestId("activation-example").first().waitFor();
  assert.deepEqual(errors, []);
});
