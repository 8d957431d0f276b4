import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumPath, chromiumSkipReason, launchChromium } from "./chromium.js";
import { exited, fixtures, freePort, runCli, startCli, tinyStudyArgs } from "./cli.js";

export interface StartOptions {
  /** Environment besides INTERLACE_HOME and the two ports. */
  env?: Record<string, string>;
  /** Flags after `start --no-demo`, e.g. --rebuild. */
  flags?: string[] | undefined;
  /** How long the start may take until it says it is up (default 300 s). */
  readyTimeoutMs?: number | undefined;
}

export interface RunningProduct {
  dashboardUrl: string;
  /** The API's GraphQL endpoint. */
  graphqlUrl: string;
  /** Stops `interlace start` (Ctrl-C) and returns its exit code. */
  stop: () => Promise<number | null>;
}

/** The fixture models' folder as INTERLACE_MODEL_ROOTS, so runs requested in the dashboard may use them. */
export function fixtureModelRoots(): Record<string, string> {
  return { INTERLACE_MODEL_ROOTS: join(fixtures(), "models") };
}

/** `interlace start --no-demo` on `home` and free ports, resolved once it says it is up. */
export async function startProduct(home: string, options: StartOptions = {}): Promise<RunningProduct> {
  const [port, dashboardPort] = [await freePort(), await freePort()];
  const started = Date.now();
  const { child } = await startCli(
    ["start", "--no-demo", ...(options.flags ?? [])],
    { INTERLACE_HOME: home, ...options.env, PORT: String(port), DASHBOARD_PORT: String(dashboardPort) },
    /Press Ctrl-C to stop/,
    options.readyTimeoutMs,
  );
  console.log(`interlace start → dashboard answering: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      child.kill("SIGINT");
      return exited(child);
    },
  };
}

/** Runs a tiny study named `name` into `home` with the CLI; returns its id and the CLI's output. */
export async function runTinyStudy(home: string, name: string): Promise<{ studyId: string; stdout: string }> {
  const study = await runCli(tinyStudyArgs(name), { INTERLACE_HOME: home });
  assert.equal(study.code, 0, study.stderr);
  const studyId = /^study (\S+) stored/m.exec(study.stdout)?.[1] ?? "";
  assert.ok(studyId, `the CLI names the stored study:\n${study.stdout}`);
  return { studyId, stdout: study.stdout };
}

export interface BrowserProductOptions extends Omit<StartOptions, "env"> {
  /** Runs first, on the fresh home (store studies, start stubs). */
  prepare?: (home: string) => Promise<void>;
  /** Environment of the start besides INTERLACE_HOME and the ports; a function is read after `prepare`. */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Runs last, after the product stopped (close stubs). */
  cleanup?: () => Promise<void>;
}

export interface BrowserProduct {
  /** Why the file's tests are skipped (no Chromium), or false. */
  skip: string | false;
  /** The product's INTERLACE_HOME (a fresh temporary folder, removed at the end). */
  home: string;
  readonly browser: Browser;
  readonly dashboardUrl: string;
  readonly graphqlUrl: string;
}

/**
 * The setup every browser test file shares: a fresh home (prepared by `options.prepare`), the product started on it
 * and a headless Chromium, before the file's tests; after them Chromium closes, the product stops on Ctrl-C (its
 * exit code must be 0) and the home is removed. Call once at the top level of a test file.
 */
export function productInBrowser(name: string, options: BrowserProductOptions = {}): BrowserProduct {
  const skip = chromiumSkipReason();
  if (skip) console.log(`browser tests skipped: ${skip}`);
  const home = mkdtempSync(join(tmpdir(), `interlace-${name}-`));
  let browser: Browser | undefined;
  let product: RunningProduct | undefined;

  before(async () => {
    if (skip) return;
    if (!existsSync(chromiumPath)) {
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
    }
    await options.prepare?.(home);
    const env = typeof options.env === "function" ? options.env() : options.env;
    product = await startProduct(home, {
      env: env ?? {},
      flags: options.flags,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (product) assert.equal(await product.stop(), 0, "interlace start did not stop cleanly on Ctrl-C");
    await options.cleanup?.();
    rmSync(home, { recursive: true, force: true });
  });

  const started = (): { browser: Browser; product: RunningProduct } => {
    if (!browser || !product) throw new Error("the product is not started yet: use it inside a test.");
    return { browser, product };
  };
  return {
    skip,
    home,
    get browser() {
      return started().browser;
    },
    get dashboardUrl() {
      return started().product.dashboardUrl;
    },
    get graphqlUrl() {
      return started().product.graphqlUrl;
    },
  };
}
