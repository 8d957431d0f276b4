import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { repoRoot } from "./support/cli.js";
import { fixtureModelRoots, productInBrowser } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
const product = productInBrowser("browser-runs", {
  env: { INTERLACE_BACKEND: "wasm", ...fixtureModelRoots() },
  prepare: async () => {
    mkdirSync(artifacts, { recursive: true });
  },
});
const { skip, home } = product;

async function signIn(page: Page): Promise<void> {
  await page.goto(product.dashboardUrl);
  await page
    .getByTestId("sign-in")
    .getByPlaceholder("API token")
    .fill(readFileSync(join(home, "dashboard-token"), "utf8").trim());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
}

test("the runs list and a run page follow a run live (progress, stage, log); it is cancelled and retried", {
  skip,
}, async () => {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);
  await page.getByTestId("runs-feed").filter({ hasText: "(live)" }).waitFor();
  // From here on the list must change without the page asking for the runs again (no reload, no polling).
  const runsQueries: string[] = [];
  page.on("request", (request) => {
    if (request.postData()?.includes("query Runs(")) runsQueries.push(request.url());
  });
  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  const response = await fetch(product.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: "mutation($input: StudyRunInput!) { requestStudyRun(input: $input) { id } }",
      variables: { input: { name: "followed run", model: "sotu-gpt2-6l", layer: 3, tokens: 6000, dSae: 64, nfmK: 8 } },
    }),
  });
  const { data } = (await response.json()) as { data: { requestStudyRun: { id: string } } };
  const id = data.requestStudyRun.id;

  const row = page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
  await row.waitFor({ timeout: 30_000 });
  const listed = Number(await row.locator("progress").getAttribute("value"));
  await page.waitForFunction(
    ([runId, start]) =>
      Number(document.querySelector(`[data-run-id="${runId}"] progress`)?.getAttribute("value")) > Number(start),
    [id, listed] as const,
    { timeout: 180_000 },
  );
  assert.deepEqual(runsQueries, [], "the list showed the new run and its progress without asking for the runs");
  assert.equal(await row.getAttribute("data-status"), "RUNNING");
  await page.screenshot({ path: join(artifacts, "runs-list-live-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "runs-list-live-390.png"), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, "no sideways scroll");
  await page.setViewportSize({ width: 1280, height: 900 });

  await row.getByRole("link").first().click();
  await page.waitForURL(`**/runs/${id}`);
  const details = page.getByTestId("run-details");
  await page.locator('[data-testid="run-details"][data-status="RUNNING"]').waitFor({ timeout: 120_000 });
  assert.equal(await page.getByTestId("run-feed").textContent(), "(live)");
  await page.getByTestId("run-log").waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="run-stage"]')?.textContent ?? "—") !== "—",
    undefined,
    { timeout: 120_000 },
  );
  const before = Number(await details.getByRole("progressbar").getAttribute("value"));
  await page.waitForFunction(
    (start) => Number(document.querySelector("progress")?.getAttribute("value")) > start,
    before,
    { timeout: 120_000 },
  );
  await page.screenshot({ path: join(artifacts, "run-live-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "run-live-390.png"), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390), true, "no sideways scroll");
  await page.setViewportSize({ width: 1280, height: 900 });

  await details.getByRole("button", { name: "Cancel" }).click();
  await page.locator('[data-testid="run-details"][data-status="CANCELLED"]').waitFor({ timeout: 60_000 });
  await details.getByRole("button", { name: "Retry" }).waitFor();
  await page.screenshot({ path: join(artifacts, "run-cancelled-1280.png"), fullPage: true });
  await details.getByRole("button", { name: "Retry" }).click();
  await page.getByText("Queued again").waitFor();
  await page.reload();
  await page.locator('[data-testid="run-details"]:not([data-status="CANCELLED"])').waitFor();
  await details.getByRole("button", { name: "Cancel" }).click();
  await page.locator('[data-testid="run-details"][data-status="CANCELLED"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
});
