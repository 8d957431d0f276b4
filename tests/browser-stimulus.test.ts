import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { repoRoot } from "./support/cli.js";
import { fixtureModelRoots, productInBrowser, runTinyStudy } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
let studyId = "";
const product = productInBrowser("browser-stimulus", {
  env: fixtureModelRoots(),
  prepare: async (home) => {
    ({ studyId } = await runTinyStudy(home, "stimulus browser study"));
  },
});
const { skip, home } = product;

async function signIn(page: Page): Promise<void> {
  await page.goto(product.dashboardUrl);
  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  await page.getByTestId("sign-in").getByPlaceholder("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
}

async function noSidewaysScroll(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth <= 390),
    true,
    `${name}: no sideways scroll`,
  );
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the demo design runs from the form to live progress to the results with the plot and the tables", {
  skip,
}, async () => {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);
  await page.goto(`${product.dashboardUrl}/studies/${studyId}`);
  await page.getByTestId("stimulus-analyses").getByText("No stimulus analysis yet.").waitFor();
  await page.getByTestId("new-stimulus-analysis").click();

  const form = page.getByTestId("stimulus-form");
  await form.waitFor();
  const problem = page.getByTestId("stimulus-form-problem");
  await form.getByRole("button", { name: "Start analysis" }).click();
  assert.equal(await problem.getAttribute("data-field"), "name", "the browser names the first empty field");

  await page.getByTestId("load-demo").click();
  await page.getByTestId("prompts-a1b1").waitFor();
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="prompts-a1b1"]') as HTMLTextAreaElement).value !== "",
  );
  const demoA1b1 = await page.getByTestId("prompts-a1b1").inputValue();
  await page.getByTestId("prompts-a1b1").fill(demoA1b1.split("\n").slice(0, 3).join("\n"));
  await form.getByRole("button", { name: "Start analysis" }).click();
  assert.equal(await problem.getAttribute("data-field"), "prompts.a1b1");
  assert.match((await problem.textContent()) ?? "", /a1b1 \(place Mexico, topic war\) has 3 prompts; give at least 5/);

  await page.getByTestId("prompts-a1b1").fill(`${"war ".repeat(300)}\n${demoA1b1}`);
  await form.getByRole("button", { name: "Start analysis" }).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="stimulus-form-problem"]')?.getAttribute("data-field") === "server",
  );
  assert.match(
    (await problem.textContent()) ?? "",
    /prompts\.a1b1\[0\]: has \d+ tokens, more than the study's context/,
  );

  await page.getByTestId("prompts-a1b1").fill(demoA1b1);
  await noSidewaysScroll(page, "stimulus-form");
  await form.getByRole("button", { name: "Start analysis" }).click();
  await page.waitForURL(/\/stimulus\/[0-9a-f-]{36}$/);
  const status = page.getByTestId("stimulus-status");
  await status.waitFor();
  const firstStatus = await status.getAttribute("data-status");
  assert.ok(["QUEUED", "RUNNING", "SUCCEEDED"].includes(firstStatus ?? ""), `status ${firstStatus}`);
  await page.screenshot({ path: join(artifacts, "stimulus-progress-1280.png"), fullPage: true });
  await page.locator('[data-testid="stimulus-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 300_000 });

  const plot = page.getByTestId("interaction-plot");
  await plot.waitFor();
  assert.equal(await plot.getByTestId("cell-mark").count(), 4, "four cell means with CI bars");
  assert.equal(await page.getByTestId("prompt-dot").count(), 24, "every prompt's value in the distributions");
  assert.deepEqual(
    await page.getByTestId("anova-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-term"))),
    ["a", "b", "ab"],
  );
  assert.match(
    (await page.getByTestId("contrast-sentence").textContent()) ?? "",
    /interaction_norm|combination|cancel/,
  );
  const discovered = page.getByTestId("discovered-row");
  assert.ok((await discovered.count()) > 0);
  const href = (await discovered.first().getByRole("link").getAttribute("href")) ?? "";
  assert.match(href, new RegExp(`^/studies/${studyId}/(features|k)/\\d+$`));
  const before = await plot.getAttribute("aria-label");
  await page.getByTestId("measure-select").selectOption("residual_norm");
  await page.waitForFunction(
    (label) => document.querySelector('[data-testid="interaction-plot"]')?.getAttribute("aria-label") !== label,
    before,
  );
  assert.match((await plot.getAttribute("aria-label")) ?? "", /residual_norm/);
  await page.getByTestId("measure-select").selectOption("interaction_norm");
  await noSidewaysScroll(page, "stimulus-results");

  await page.goto(`${product.dashboardUrl}/studies/${studyId}`);
  const rows = page.getByTestId("stimulus-analysis-row");
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1, "the refused request stored nothing; the analysis is listed");
  assert.match((await rows.first().textContent()) ?? "", /Mexico × war \(demo\).*succeeded/);
  assert.deepEqual(errors, []);
});
