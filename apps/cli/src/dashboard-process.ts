import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const dashboardDir = fileURLToPath(new URL("../../dashboard/", import.meta.url));

function nextBin(): string {
  return createRequire(join(dashboardDir, "package.json")).resolve("next/dist/bin/next");
}

export function dashboardIsBuilt(): boolean {
  return existsSync(join(dashboardDir, ".next", "BUILD_ID"));
}

/**
 * Runs `next build` for the dashboard in a child process (the caller's event loop keeps serving), its errors
 * visible; resolves when it succeeded. Aborting `signal` stops the build.
 */
export function buildDashboard(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn(process.execPath, [nextBin(), "build"], {
      cwd: dashboardDir,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      signal,
    });
    build.once("error", reject);
    build.once("exit", (code, killed) => {
      if (code === 0) resolve();
      else reject(new Error(`the dashboard build failed (next build exited ${killed ?? code}).`));
    });
  });
}

/** Starts the production dashboard on `port`, talking to the GraphQL server at `graphqlUrl`. */
export function startDashboard(port: number, graphqlUrl: string): ChildProcess {
  return spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dashboardDir,
    env: { ...process.env, INTERLACE_GRAPHQL_URL: graphqlUrl, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Polls `url` until it answers, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `the dashboard exited (code ${child.exitCode}) before answering at ${url}: is its port free? Set DASHBOARD_PORT to another.`,
      );
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the dashboard did not answer at ${url} within ${timeoutMs / 1000} s.`);
}
