import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadCliConfig } from "../config.js";
import { runCommandCapturing } from "../testing/run-command.js";
import { doctorCommand } from "./doctor.js";

const home = mkdtempSync(join(tmpdir(), "doctor-test-"));
after(() => rmSync(home, { recursive: true, force: true }));

function doctor(argv: string[], env: Record<string, string> = {}): Promise<string> {
  return runCommandCapturing(doctorCommand, argv, loadCliConfig({ INTERLACE_HOME: home, ...env }));
}

test("doctor says no measurement exists yet, then --measure measures each engine and caches it", async () => {
  const before = await doctor([], { INTERLACE_BACKEND: "wasm" });
  assert.match(before, /engine: wasm \(named by INTERLACE_BACKEND\)/);
  assert.match(before, /run `interlace doctor --measure`/);
  const measured = await doctor(["--measure"]);
  assert.match(measured, /INTERLACE_BACKEND: auto/);
  assert.match(measured, /engine: (onnxruntime|wasm|tensorflow) \(the fastest, measured now\)/);
  assert.match(measured, /onnxruntime +[\d.]+ GFLOP\/s/);
  assert.match(measured, /wasm +[\d.]+ GFLOP\/s/);
  assert.ok(existsSync(join(home, "engine.json")));
  assert.match(await doctor([]), /\(the fastest measured, read from the cache\)/);
});
