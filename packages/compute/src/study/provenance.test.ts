import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { packageProvenance, readGitCommit } from "./provenance.js";

const sha = "0123456789abcdef0123456789abcdef01234567";

test("the commit is read from a loose ref, a packed ref or a detached HEAD, from any folder below the work tree", () => {
  const root = mkdtempSync(join(tmpdir(), "provenance-"));
  try {
    const git = join(root, ".git");
    mkdirSync(join(git, "refs", "heads"), { recursive: true });
    mkdirSync(join(root, "a", "b"), { recursive: true });
    writeFileSync(join(git, "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(git, "refs", "heads", "main"), `${sha}\n`);
    assert.equal(readGitCommit(join(root, "a", "b")), sha);
    rmSync(join(git, "refs", "heads", "main"));
    writeFileSync(join(git, "packed-refs"), `# pack-refs\n${sha} refs/heads/main\n`);
    assert.equal(readGitCommit(root), sha);
    writeFileSync(join(git, "HEAD"), `${sha}\n`);
    assert.equal(readGitCommit(root), sha);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("outside a work tree there is no commit; inside this repository it is git's own answer", (t) => {
  assert.equal(readGitCommit(tmpdir()), null);
  let head: string;
  try {
    head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: import.meta.dirname, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    t.skip("not a git checkout");
    return;
  }
  assert.equal(packageProvenance().git_commit, head);
});
