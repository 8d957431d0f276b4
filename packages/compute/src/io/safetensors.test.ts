import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { float32ToBfloat16 } from "./float16.js";
import { readSafetensors, SafetensorsError, SafetensorsFile, writeSafetensors } from "./safetensors.js";

const dir = mkdtempSync(join(tmpdir(), "safetensors-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Builds a safetensors file by hand, independently of the writer under test. */
function handMade(path: string, header: Record<string, unknown>, data: Uint8Array): void {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.byteLength));
  writeFileSync(path, Buffer.concat([length, json, data]));
}

test("round trip keeps shapes, values, metadata and int32 tensors", () => {
  const path = join(dir, "round.safetensors");
  const a = new Float32Array([1, -2, 3.5, 4e-8, 5, 6]);
  const ids = new Int32Array([7, 8, 9]);
  writeSafetensors(path, { a: { shape: [2, 3], data: a }, ids: { shape: [3], data: ids } }, { note: "hi" });
  const { tensors, metadata } = readSafetensors(path);
  assert.deepEqual(tensors["a"]?.shape, [2, 3]);
  assert.deepEqual([...tensors["a"]!.data], [...a]);
  assert.deepEqual([...tensors["ids"]!.data], [7, 8, 9]);
  assert.deepEqual(metadata, { note: "hi" });
  const headerLength = Number(readFileSync(path).readBigUInt64LE(0));
  assert.equal(headerLength % 8, 0);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".tmp")),
    [],
  );
});

test("F16 writing halves the data and reads back within half precision", () => {
  const path = join(dir, "half.safetensors");
  const a = new Float32Array([0.1, 0.2, -0.3, 100]);
  writeSafetensors(path, { a: { shape: [4], data: a } }, undefined, { dtype: "F16" });
  const file = SafetensorsFile.open(path);
  assert.equal(file.entries.get("a")?.dtype, "F16");
  const back = file.read("a").data;
  file.close();
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(back[i]! - a[i]!) < 0.05);
});

test("reads BF16, I64 and F64 written by hand", () => {
  const path = join(dir, "mixed.safetensors");
  const bf = float32ToBfloat16(new Float32Array([1.5, -2]));
  const i64 = new BigInt64Array([3n, -4n]);
  const f64 = new Float64Array([0.25]);
  const data = Buffer.concat([Buffer.from(bf.buffer), Buffer.from(i64.buffer), Buffer.from(f64.buffer)]);
  handMade(
    path,
    {
      b: { dtype: "BF16", shape: [2], data_offsets: [0, 4] },
      c: { dtype: "I64", shape: [2], data_offsets: [4, 20] },
      d: { dtype: "F64", shape: [1, 1], data_offsets: [20, 28] },
    },
    data,
  );
  const { tensors } = readSafetensors(path);
  assert.deepEqual([...tensors["b"]!.data], [1.5, -2]);
  assert.deepEqual([...tensors["c"]!.data], [3, -4]);
  assert.deepEqual([...tensors["d"]!.data], [0.25]);
});

test("a truncated file is an error naming the file", () => {
  const path = join(dir, "cut.safetensors");
  writeSafetensors(path, { a: { shape: [100], data: new Float32Array(100) } });
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  assert.throws(
    () => readSafetensors(path),
    (e: unknown) => e instanceof SafetensorsError && e.message.includes(path) && /truncated/.test(e.message),
  );
  writeFileSync(path, bytes.subarray(0, 5));
  assert.throws(() => readSafetensors(path), /cut\.safetensors.*truncated/);
});

test("a corrupt header is an error naming the file", () => {
  const path = join(dir, "bad.safetensors");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(4n);
  writeFileSync(path, Buffer.concat([length, Buffer.from("{{{{")]));
  assert.throws(() => readSafetensors(path), /bad\.safetensors.*JSON header/);
  handMade(path, { a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
  assert.throws(() => readSafetensors(path), /bad\.safetensors: tensor "a" has 8 bytes/);
});

test("writing rejects a shape that does not match the data", () => {
  assert.throws(
    () => writeSafetensors(join(dir, "x.safetensors"), { a: { shape: [3], data: new Float32Array(2) } }),
    /tensor "a" has 2 values/,
  );
});
