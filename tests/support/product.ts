import assert from "node:assert/strict";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { chromiumPath } from "./chromium.js";
import { exited, fixtures, freePort, runCli, startCli, tinyStudyArgs } from "./cli.js";

export interface RunningProduct {
  /** The stored tiny study's id. */
  studyId: string;
  dashboardUrl: string;
  /** Stops `interlace start` (Ctrl-C) and returns its exit code. */
  stop: () => Promise<number | null>;
}

/** Runs a tiny study named `name` into `home` with the CLI, then starts the product on free ports (no demo). */
export async function startProductWithTinyStudy(home: string, name: string): Promise<RunningProduct> {
  const env = { INTERLACE_HOME: home };
  const study = await runCli(tinyStudyArgs(name), env);
  assert.equal(study.code, 0, study.stderr);
  const studyId = /^study (\S+) stored/m.exec(study.stdout)?.[1] ?? "";
  assert.ok(studyId, `the CLI names the stored study:\n${study.stdout}`);
  const [port, dashboardPort] = [await freePort(), await freePort()];
  const { child } = await startCli(
    ["start", "--no-demo"],
    {
      ...env,
      PORT: String(port),
      DASHBOARD_PORT: String(dashboardPort),
      INTERLACE_MODEL_ROOTS: join(fixtures(), "models"),
    },
    /Press Ctrl-C to stop/,
  );
  return {
    studyId,
    dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
    stop: async () => {
      child.kill("SIGINT");
      return exited(child);
    },
  };
}

/** Debian's Chromium, headless, as every browser test runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}
