import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { chromiumPath, chromiumSkipReason } from "./support/chromium.js";
import { exited, fixtures, freePort, repoRoot, startCli } from "./support/cli.js";

const skip = chromiumSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);
const artifacts = join(repoRoot, "tests", "artifacts");
const home = mkdtempSync(join(tmpdir(), "interlace-browser-runs-"));
let browser: Browser | undefined;
let stopStart: (() => Promise<number | null>) | undefined;
let dashboardUrl = "";
let graphqlUrl = "";

before(async () => {
  if (skip) return;
  mkdirSync(artifacts, { recursive: true });
  const [port, dashboardPort] = [await freePort(), await freePort()];
  const { child } = await startCli(
    ["start", "--no-demo"],
    {
      INTERLACE_HOME: home,
      INTERLACE_BACKEND: "wasm",
      PORT: String(port),
      DASHBOARD_PORT: String(dashboardPort),
      INTERLACE_MODEL_ROOTS: join(fixtures(), "models"),
    },
    /Press Ctrl-C to stop/,
  );
  dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  graphqlUrl = `http://127.0.0.1:${port}/graphql`;
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

async function signIn(page: Page): Promise<void> {
  await page.goto(dashboardUrl);
  await page
    .getByTestId("sign-in")
    .getByPlaceholder("API token")
    .fill(readFileSync(join(home, "dashboard-token"), "utf8").trim());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
}

test("a run page follows a run live (progress, stage, log), cancels it and offers a retry", { skip }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page);
  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: "mutation($input: StudyRunInput!) { requestStudyRun(input: $input) { id } }",
      variables: { input: { name: "followed run", model: "sotu-gpt2-6l", layer: 3, tokens: 6000, dSae: 64, nfmK: 8 } },
    }),
  });
  const { data } = (await response.json()) as { data: { requestStudyRun: { id: string } } };
  const id = data.requestStudyRun.id;

  await page.goto(dashboardUrl);
  await page.getByTestId("run-row").first().getByRole("link").first().click();
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
