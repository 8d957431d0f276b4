import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { parseArchitecture, SUPPORTED_MODEL_TYPES } from "./config.js";

const config = (name: string) => JSON.parse(readFileSync(join(fixtures, "models", name, "config.json"), "utf8"));

test("GPT-2 config: LayerNorm, learned positions, plain gelu_new MLP, tied head", () => {
  const arch = parseArchitecture(config("sotu-gpt2-6l"));
  assert.equal(arch.norm.kind, "layernorm");
  assert.equal(arch.norm.eps, 1e-5);
  assert.deepEqual(arch.positions, { kind: "learned" });
  assert.deepEqual(arch.mlp, { kind: "plain", activation: "gelu_new", bias: true });
  assert.equal(arch.dMlp, 1024);
  assert.equal(arch.nKvHeads, arch.nHeads);
  assert.equal(arch.tiedHead, true);
});

test("Llama config: RMSNorm, RoPE θ, SwiGLU, grouped-query attention, untied head", () => {
  const arch = parseArchitecture(config("tiny-llama-random"));
  assert.equal(arch.norm.kind, "rmsnorm");
  assert.deepEqual(arch.positions, { kind: "rope", theta: 10000 });
  assert.deepEqual(arch.mlp, { kind: "gated", activation: "silu", bias: false });
  assert.equal(arch.nHeads, 4);
  assert.equal(arch.nKvHeads, 2);
  assert.equal(arch.headDim, 16);
  assert.equal(arch.tiedHead, false);
});

test("an unsupported model_type lists the supported ones", () => {
  assert.throws(
    () => parseArchitecture({ model_type: "bert" }, "x/config.json"),
    (e: unknown) =>
      e instanceof Error &&
      e.message.includes('x/config.json: model_type "bert" is not supported') &&
      SUPPORTED_MODEL_TYPES.every((t) => e.message.includes(t)),
  );
});

test("a missing size field is named", () => {
  assert.throws(() => parseArchitecture({ model_type: "llama" }), /missing numeric field hidden_size/);
});
