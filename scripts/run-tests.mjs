#!/usr/bin/env node
// Runs every *.test.ts below the given folder (or the one test file given) with Node's test runner (TypeScript
// through tsx).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = process.argv[2] ?? ".";
const skip = new Set(["node_modules", ".next", ".turbo", "artifacts", "dist"]);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith(".test.ts") || name.endsWith(".test.tsx")) out.push(path);
  }
  return out;
}

const files = statSync(root).isDirectory() ? collect(root).sort() : [root];
if (files.length === 0) {
  console.log(`no test files under ${root}`);
  process.exit(0);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", ...process.argv.slice(3), ...files],
  {
    stdio: "inherit",
    // One set of compiler options (experimental decorators for the server) for every file a test loads.
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(import.meta.dirname, "..", "tsconfig.base.json") },
  },
);
process.exit(result.status ?? 1);
