/** Test support: where the test and benchmark fixtures live (tests/fixtures in the repository, or INTERLACE_FIXTURES). */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The fixtures folder: INTERLACE_FIXTURES when set, otherwise the repository's own tests/fixtures. */
export const fixturesDir = resolve(
  process.env["INTERLACE_FIXTURES"] ?? join(import.meta.dirname, "..", "..", "..", "..", "tests", "fixtures"),
);

/** A path inside the fixtures folder; fails with a clear message when the folder is missing. */
export function fixturePath(...parts: string[]): string {
  if (!existsSync(fixturesDir)) {
    throw new Error(
      `test fixtures not found at ${fixturesDir}: restore tests/fixtures from git, or set INTERLACE_FIXTURES to a fixtures folder.`,
    );
  }
  return join(fixturesDir, ...parts);
}
