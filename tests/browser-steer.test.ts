import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { writeReadableStudy } from "@interlace/compute/testing";
import { migrate, openDatabase, saveStudy } from "@interlace/server";
import { storedStudyDir } from "@interlace/server/studies";
import { sampleStudy } from "@interlace/server/testing";
import type { Page } from "playwright-core";
import { repoRoot } from "./support/cli.js";
import { fixtureModelRoots, productInBrowser } from "./support/product.js";

const artifacts = join(repoRoot, "tests", "artifacts");
let studyId = "";
const product = productInBrowser("browser-steer", {
  env: fixtureModelRoots(),
  // A study whose folder holds the fixture model's SAE and an NFM (what steering and reading need), stored with
  // sample feature data, instead of running a study for minutes.
  prepare: async (home) => {
    const dir = writeReadableStudy(join(home, "studies", "steer-study"), "steer study");
    const db = await openDatabase({ home, databaseUrl: undefined });
    try {
      await migrate(db.sql);
      studyId = await saveStudy(db.sql, sampleStudy({ name: "steer study" }), { dir: storedStudyDir(home, dir) });
    } finally {
      await db.close();
    }
  },
});
const { skip, home } = product;

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function signIn(page: Page): Promise<void> {
  const token = readFileSync(join(home, "dashboard-token"), "utf8").trim();
  await page.getByTestId("sign-in").getByPlaceholder("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("session").waitFor();
}

test("a person steers from a feature page: signed out sees how to get access, signed in sees both texts", {
  skip,
}, async () => {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  mkdirSync(artifacts, { recursive: true });
  await page.goto(`${product.dashboardUrl}/studies/${studyId}/features/0`);
  await page.getByTestId("panel-steering").waitFor();
  assert.match((await page.getByTestId("steer-reason").textContent()) ?? "", /needs a token: sign in/);
  assert.equal(await page.getByTestId("steering-panel").count(), 0, "no steering form without a token");

  await signIn(page);
  const panel = page.getByTestId("steering-panel");
  await panel.waitFor();
  await panel.getByTestId("steer-empty").waitFor();
  await panel.getByTestId("preset-×4 max").click();
  assert.equal(await panel.getByTestId("steer-value").inputValue(), "4", "×4 the max activation (1) of feature 0");
  await panel.getByTestId("steer-mode").selectOption("add");
  await panel.getByTestId("steer-value").fill("60");
  await panel.getByTestId("steer-max-tokens").fill("12");
  await panel.getByTestId("steer-prompt").fill("<b>The people</b> of the United States");
  await panel.getByTestId("steer-submit").click();
  await panel.getByTestId("steer-steered").or(panel.getByTestId("steer-error")).waitFor({ timeout: 120_000 });
  assert.equal(await panel.getByTestId("steer-error").count(), 0, (await panel.textContent()) ?? "");
  const baseline = (await panel.getByTestId("steer-baseline").textContent()) ?? "";
  const steered = (await panel.getByTestId("steer-steered").textContent()) ?? "";
  assert.ok(baseline.includes("<b>The people</b>"), "the prompt is shown as text");
  assert.notEqual(steered.replace(/^.*?:/, ""), baseline.replace(/^.*?\)/, ""));
  assert.ok((await panel.locator('[data-changed="true"]').count()) > 0, "changed tokens are marked");
  assert.match((await panel.getByTestId("steer-summary").textContent()) ?? "", /steered tokens differ/);
  await page.screenshot({ path: join(artifacts, "steer-feature-1280.png"), fullPage: true });

  await panel.getByTestId("steer-prompt").fill(" the".repeat(300));
  await panel.getByTestId("steer-submit").click();
  assert.match((await panel.getByTestId("steer-error").textContent()) ?? "", /prompt: it has 300 tokens/);
  await panel.getByTestId("steer-prompt").fill("The people of the United States");
  await panel.getByTestId("steer-submit").click();
  await panel.getByTestId("steer-error").waitFor({ state: "detached" });

  await page.setViewportSize({ width: 390, height: 900 });
  assert.equal(await sidewaysOverflow(page), 0, "the feature page with steering at 390 px");
  await page.getByTestId("panel-steering").screenshot({ path: join(artifacts, "steer-feature-390.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a person runs their own text: shaded tokens, a token's features and pairs, the text in the link", {
  skip,
}, async () => {
  const page = await product.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${product.dashboardUrl}/studies/${studyId}`);
  await page.getByTestId("read-link").click();
  await page.getByTestId("read-empty").waitFor();
  const text = "Fellow citizens, the <i>Congress</i> shall have power to lay and collect taxes.";
  await page.getByTestId("read-text").fill(text);
  await page.getByTestId("read-submit").click();
  await page.getByTestId("reading").waitFor({ timeout: 120_000 });
  assert.equal(new URL(page.url()).searchParams.get("text"), text, "the link carries the text");
  const tokens = page.getByTestId("read-token");
  assert.ok((await tokens.count()) > 10);
  assert.equal(((await page.getByTestId("reading").textContent()) ?? "").includes("<i>Congress</i>"), true);
  await page.getByTestId("token-hint").waitFor();

  await tokens.nth(5).click();
  await page.getByTestId("token-details").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("t"), "5");
  const features = page.getByTestId("token-features").getByRole("link");
  assert.ok((await features.count()) > 0, "the token's active features link to their pages");
  assert.match((await features.first().getAttribute("href")) ?? "", new RegExp(`/studies/${studyId}/features/\\d+$`));
  const pairs = page.getByTestId("pair-link");
  if ((await pairs.count()) > 0) {
    assert.match(
      (await pairs.first().getAttribute("href")) ?? "",
      new RegExp(`/studies/${studyId}/interactions/\\d+-\\d+$`),
    );
  }
  await page.screenshot({ path: join(artifacts, "read-text-1280.png"), fullPage: true });

  const feature = (await features.first().textContent())!.replace("#", "");
  await page.getByTestId("read-shade").selectOption(feature);
  await page.getByTestId("read-submit").click();
  await page.waitForURL(new RegExp(`shade=${feature}`));
  await page.getByTestId("reading").waitFor();
  await page.setViewportSize({ width: 390, height: 900 });
  assert.equal(await sidewaysOverflow(page), 0, "the run-my-text page at 390 px");
  await page.screenshot({ path: join(artifacts, "read-text-390.png"), fullPage: true });

  await page.goto(`${product.dashboardUrl}/studies/${studyId}/read?text=${encodeURIComponent(" the".repeat(300))}`);
  assert.match((await page.getByTestId("error").textContent()) ?? "", /text: it has 300 tokens/);
  assert.deepEqual(errors, []);
  await page.close();
});
