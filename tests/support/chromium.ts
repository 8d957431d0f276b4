import { existsSync } from "node:fs";

/** Debian's Chromium, or CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Why the browser tests are skipped, or false when they run. They run whenever a Chromium is present; with CI=true
 * they always run, so a missing browser fails them instead of skipping.
 */
export function chromiumSkipReason(env = process.env, path = chromiumPath): string | false {
  if (env.CI === "true" || existsSync(path)) return false;
  return `no Chromium at ${path}: apt-get install -y chromium, or set CHROMIUM_PATH (required when CI=true)`;
}

/** Launches the headless Chromium the browser tests drive (no network services, no sandbox). */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
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
