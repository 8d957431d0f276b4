import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import { tidyValues } from "./tidy-values.js";

test("tidyValues returns the values and frees every tensor it made", async () => {
  await initBackend("wasm");
  const before = tf.memory().numTensors;
  const values = tidyValues(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
  assert.deepEqual(Array.from(values), [2, 3, 4]);
  assert.equal(tf.memory().numTensors, before);
});

/** Every .ts file under `dir` but tests. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The body of each `tf.tidy(…)` call in `text`. */
function tidyBodies(text: string): { at: number; body: string }[] {
  const bodies: { at: number; body: string }[] = [];
  for (const match of text.matchAll(/tf\.tidy\(/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    while (depth > 0 && i < text.length) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
      i++;
    }
    bodies.push({ at: match.index, body: text.slice(match.index + match[0].length, i - 1) });
  }
  return bodies;
}

test("no tidy scope in the compute package returns a tensor's values (tidy would walk every element)", () => {
  const root = join(import.meta.dirname, "..");
  const offenders: string[] = [];
  for (const file of sources(root)) {
    const text = readFileSync(file, "utf8");
    for (const { at, body } of tidyBodies(text)) {
      // `() => expr.dataSync()` or `return expr.dataSync();`; a scalar read (`.dataSync()[0]`) returns a number.
      const returnsValues =
        /^\s*\(\)\s*=>\s*(?!\{)[\s\S]*\.(dataSync|arraySync)\(\)\s*(as [\w<>[\]]+)?\s*,?\s*$/.test(body) ||
        /return [^;]*\.(dataSync|arraySync)\(\)\s*(as [\w<>[\]]+)?;/.test(body);
      if (returnsValues) offenders.push(`${relative(root, file)}:${text.slice(0, at).split("\n").length}`);
    }
  }
  assert.deepEqual(offenders, [], `use tidyValues (dense/tidy-values.ts) instead at: ${offenders.join(", ")}`);
});
