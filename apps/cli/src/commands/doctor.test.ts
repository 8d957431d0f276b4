import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseCommandArgs } from "../command.js";
import { loadCliConfig } from "../config.js";
import { doctorCommand } from "./doctor.js";

const home = mkdtempSync(join(tmpdir(), "doctor-test-"));
after(() => rmSync(home, { recursive: true, force: true }));

async function doctor(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const { values, positionals } = parseCommandArgs(doctorCommand, argv);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await doctorCommand.run(values, positionals, loadCliConfig({ INTERLACE_HOME: home, ...env }));
  } finally {
    process.stdout.write = write;
  }
  return chunks.join("");
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
