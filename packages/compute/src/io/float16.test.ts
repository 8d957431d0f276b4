import assert from "node:assert/strict";
import { test } from "node:test";
import { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, float32ToHalfBits, halfToFloat32 } from "./float16.js";

test("float16 encodes known values exactly", () => {
  assert.equal(float32ToHalfBits(1), 0x3c00);
  assert.equal(float32ToHalfBits(-2), 0xc000);
  assert.equal(float32ToHalfBits(65504), 0x7bff);
  assert.equal(float32ToHalfBits(1e6), 0x7c00);
  assert.equal(float32ToHalfBits(2 ** -24), 0x0001);
  assert.equal(float32ToHalfBits(0), 0);
  assert.ok(Number.isNaN(halfToFloat32(new Uint16Array([float32ToHalfBits(Number.NaN)]))[0]));
});

test("float16 round trip stays within half precision", () => {
  const values = new Float32Array([0.1, -2.71, 1234.5, 6e-5, -0.00042]);
  const back = halfToFloat32(float32ToHalf(values));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    assert.ok(Math.abs(back[i]! - v) <= Math.max(Math.abs(v) * 2 ** -11, 2 ** -25), `${v} -> ${back[i]}`);
  }
});

test("float16 rounds ties to even", () => {
  assert.equal(float32ToHalfBits(1 + 2 ** -11), 0x3c00);
  assert.equal(float32ToHalfBits(1 + 3 * 2 ** -11), 0x3c02);
});

test("bfloat16 round trip keeps the top 8 mantissa bits", () => {
  const values = new Float32Array([1, -2.5, 3.140625, 1e30]);
  const back = bfloat16ToFloat32(float32ToBfloat16(values));
  assert.equal(back[0], 1);
  assert.equal(back[1], -2.5);
  assert.equal(back[2], 3.140625);
  assert.ok(Math.abs(back[3]! - 1e30) / 1e30 < 2 ** -8);
});
