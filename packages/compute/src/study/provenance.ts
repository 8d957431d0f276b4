import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface PackageProvenance {
  package_version: string;
  git_commit: string | null;
}

/** The commit checked out in the git work tree that contains `dir`, read from its files (no git process), or null. */
export function readGitCommit(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    const dotGit = join(at, ".git");
    if (existsSync(dotGit)) return commitOf(statSync(dotGit).isDirectory() ? dotGit : linkedGitDir(dotGit));
    if (dirname(at) === at) return null;
  }
}

/** A linked work tree's `.git` file names its own git folder (`gitdir: …`). */
function linkedGitDir(dotGitFile: string): string {
  const target = readFileSync(dotGitFile, "utf8")
    .trim()
    .replace(/^gitdir: /, "");
  return resolve(dirname(dotGitFile), target);
}

function commitOf(gitDir: string): string | null {
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  if (!head.startsWith("ref: ")) return /^[0-9a-f]{40}$/.test(head) ? head : null;
  const ref = head.slice(5);
  // A linked work tree keeps its HEAD in its own folder and the refs in the shared one named by `commondir`.
  const common = existsSync(join(gitDir, "commondir"))
    ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim())
    : gitDir;
  const loose = join(common, ref);
  if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
  const packed = join(common, "packed-refs");
  if (!existsSync(packed)) return null;
  const line = readFileSync(packed, "utf8")
    .split("\n")
    .find((l) => l.endsWith(` ${ref}`));
  return line?.split(" ")[0] ?? null;
}

/** The compute package's version and the git commit of its checkout, for a report's provenance. */
export function packageProvenance(): PackageProvenance {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return { package_version: pkg.version, git_commit: readGitCommit(import.meta.dirname) };
}
