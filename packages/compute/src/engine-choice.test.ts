import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { chooseEngine, ENGINE_CACHE_FILE } from "./engine-choice.js";
import type { EngineMeasurement } from "./engine-measure.js";

const home = mkdtempSync(join(tmpdir(), "engine-choice-"));
after(() => rmSync(home, { recursive: true, force: true }));
const cachePath = join(home, ENGINE_CACHE_FILE);
const cached = () => JSON.parse(readFileSync(cachePath, "utf8")) as EngineMeasurement;

test("auto measures every installed engine once, picks the fastest and caches the measurement in the home", async () => {
  const first = await chooseEngine("auto", { home });
  assert.equal(first.source, "measured");
  const m = first.measurement!;
  assert.ok((m.gflops.wasm ?? 0) > 0, "tfjs-wasm is always installed");
  assert.ok((m.gflops.onnxruntime ?? 0) > 0, "onnxruntime-node is a dependency");
  const fastest = Object.entries(m.gflops).sort((a, b) => b[1] - a[1])[0]![0];
  assert.equal(first.engine, fastest);
  assert.deepEqual(cached(), m);
  const second = await chooseEngine("auto", { home });
  assert.equal(second.source, "cached");
  assert.equal(second.engine, first.engine);
});

test("INTERLACE_BACKEND naming an engine overrides the measurement", async () => {
  const choice = await chooseEngine("wasm", { home });
  assert.equal(choice.engine, "wasm");
  assert.equal(choice.source, "preference");
  assert.notEqual(choice.measurement, null, "the cached measurement is still reported");
});

test("a measurement from another machine, or an unreadable cache, is measured again", async () => {
  writeFileSync(cachePath, JSON.stringify({ ...cached(), engine: "tensorflow", machine: "another machine" }));
  const stale = await chooseEngine("auto", { home });
  assert.equal(stale.source, "measured");
  assert.notEqual(cached().machine, "another machine");
  writeFileSync(cachePath, "{ not json");
  assert.equal((await chooseEngine("auto", { home })).source, "measured");
});

test("remeasure measures even when a measurement is cached", async () => {
  const before = cached().measuredAt;
  const choice = await chooseEngine("onnxruntime", { home, remeasure: true });
  assert.equal(choice.engine, "onnxruntime");
  assert.notEqual(cached().measuredAt, before);
});
