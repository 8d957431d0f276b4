import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { migrate, openDatabase, saveStudy } from "@interlace/server";
import {
  type ClaudeStub,
  cannedExplanation,
  explainStudy,
  honestScorer,
  promptKind,
  startClaudeStub,
} from "@interlace/server/testing";
import type { Page } from "playwright-core";
import { repoRoot, runCli } from "./support/cli.js";
import { productInBrowser } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
/** A key that must never reach the dashboard's build or the browser. */
const KEY = "sk-ant-browser-test-9f3c2e71d4b8a6";
/** Model output that would run script if it were rendered as markup. */
const HOSTILE = "<img src=x onerror=alert(1)>";
const HOSTILE_FEATURE = 4;
const STUDY = "explain browser study";
let stub: ClaudeStub | undefined;
let studyId = "";

const product = productInBrowser("browser-explain", {
  flags: ["--rebuild"],
  readyTimeoutMs: 600_000,
  prepare: async (home) => {
    const db = await openDatabase({ home, databaseUrl: undefined });
    try {
      await migrate(db.sql);
      studyId = await saveStudy(db.sql, explainStudy({ name: STUDY }));
    } finally {
      await db.close();
    }
    stub = await startClaudeStub((request) => {
      const kind = promptKind(request.prompt);
      if (kind !== "explain") return { text: honestScorer(request.prompt) };
      if (request.prompt.includes(`<< fruit${HOSTILE_FEATURE}>>`)) return { text: HOSTILE };
      return { text: cannedExplanation(request.prompt) };
    });
    const env = { INTERLACE_HOME: home, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: stub.url };
    const explained = await runCli(["explain", "--study", STUDY, "--features", `0,2,${HOSTILE_FEATURE}`], env);
    assert.equal(explained.code, 0, explained.stderr);
  },
  env: () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: stub!.url }),
  cleanup: async () => {
    await stub?.close();
  },
});
const { skip, home } = product;

/** A page that records script errors, dialogs, and every text response the browser receives. */
async function watchedPage(width = 1280) {
  const page = await product.browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const bodies: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => undefined);
  });
  page.on("response", (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (/javascript|html|json|text/.test(type)) {
      response.text().then(
        (text) => bodies.push(text),
        () => undefined,
      );
    }
  });
  return { page, problems, bodies };
}

const featureUrl = (index: number) => `${product.dashboardUrl}/studies/${studyId}/features/${index}`;

async function shoot(page: Page, name: string) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} at 390 px is ${width} px wide`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a feature page shows the explanation and its scores at the top, the meaning of each score on hover", {
  skip,
}, async () => {
  const { page, problems, bodies } = await watchedPage();
  await page.goto(featureUrl(0));
  const text = page.getByTestId("explanation-text");
  await text.waitFor();
  assert.equal(await text.textContent(), 'Fires on the word "fruit0".');
  const detection = page.getByTestId("score-detection");
  assert.match((await detection.textContent()) ?? "", /Detection 1\.00 n = 8/);
  assert.match((await detection.getAttribute("title")) ?? "", /Balanced accuracy: 0\.5 is chance.*\n4 true positives/s);
  assert.match((await page.getByTestId("score-fuzzing").getAttribute("title")) ?? "", /marked tokens/);
  assert.match((await page.getByTestId("explanation-baseline").textContent()) ?? "", /Chance in this study/);
  const panels = await page.locator("section.panel h2").allTextContents();
  assert.equal(panels[0], "Explanation", "the explanation is the first panel of the page");
  assert.equal(await page.getByTestId("explain-button").count(), 0, "no explain action without a token");
  await shoot(page, "feature-explanation");
  assert.deepEqual(problems, []);
  assert.ok(bodies.length > 0);
  assert.ok(!bodies.some((body) => body.includes(KEY)), "the API key reached the browser");
});

test("model output is shown as text: stored markup appears literally and runs nothing", { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(featureUrl(HOSTILE_FEATURE));
  const text = page.getByTestId("explanation-text");
  await text.waitFor();
  assert.equal(await text.textContent(), HOSTILE);
  assert.equal(await page.locator('[data-testid="panel-explanation"] img').count(), 0, "no img element was made");
  await shoot(page, "feature-explanation-hostile");
  assert.deepEqual(problems, []);
});

test("the study page finds a feature by searching its explanation", { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(`${product.dashboardUrl}/studies/${studyId}`);
  await page.getByTestId("feature-search").fill("fruit2");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/search=fruit2/);
  const rows = page.getByTestId("feature-row");
  await rows.first().waitFor();
  assert.deepEqual(await rows.evaluateAll((r) => r.map((row) => row.getAttribute("data-index"))), ["2"]);
  assert.equal(await rows.first().getByTestId("feature-explanation").textContent(), 'Fires on the word "fruit2".');
  await shoot(page, "study-search");
  await rows.first().getByRole("link").first().click();
  await page.getByTestId("explanation-text").waitFor();
  assert.equal(await page.getByTestId("explanation-text").textContent(), 'Fires on the word "fruit2".');
  assert.deepEqual(problems, []);
});

test("signed in, a person asks for an explanation; the worker writes it and the page shows it", { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(product.dashboardUrl);
  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  await page.getByTestId("sign-in").getByPlaceholder("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
  await page.goto(featureUrl(6));
  await page.getByText("No explanation yet.").waitFor();
  await page.getByTestId("explain-button").click();
  await page.getByText(/queued; reload when it is done/).waitFor();
  const deadline = Date.now() + 120_000;
  while ((await page.getByTestId("explanation-text").count()) === 0) {
    assert.ok(Date.now() < deadline, "the explain run did not finish within 2 minutes");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload();
  }
  assert.equal(await page.getByTestId("explanation-text").textContent(), 'Fires on the word "fruit6".');
  await shoot(page, "feature-explain-action");
  await page.goto(product.dashboardUrl);
  const outcome = page.getByTestId("run-feature-outcomes").first();
  await outcome.waitFor();
  assert.equal(await outcome.textContent(), " features: 1 explained");
  await shoot(page, "runs-explain");
  assert.deepEqual(problems, []);
});

test("the API key is nowhere in the dashboard's build output", { skip }, () => {
  const root = join(repoRoot, "apps", "dashboard", ".next");
  let files = 0;
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "cache") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else {
        files += 1;
        assert.ok(!readFileSync(path).includes(KEY), `${path} holds the API key`);
      }
    }
  };
  visit(root);
  assert.ok(files > 10, "the build output was found");
});
