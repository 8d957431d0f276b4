import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readSafetensors } from "@interlace/compute/io";
import { maxAbsDifference } from "@interlace/compute/lm";
import { fixturesDir as fixtures } from "@interlace/compute/testing";
import { parseCommandArgs, UsageError } from "../command.js";
import { loadCliConfig } from "../config.js";
import { runCommandCapturing } from "../testing/run-command.js";
import { lmGenerateCommand } from "./lm-generate.js";
import { lmRunCommand } from "./lm-run.js";

const work = mkdtempSync(join(tmpdir(), "lm-run-test-"));
const config = loadCliConfig({ INTERLACE_HOME: join(work, "home") });
after(() => rmSync(work, { recursive: true, force: true }));

function run(command: typeof lmRunCommand, argv: string[]): Promise<string> {
  return runCommandCapturing(command, argv, config);
}

for (const name of ["sotu-gpt2-6l", "tiny-llama-random"]) {
  test(`lm run on ${name} writes ids, logits and hooks matching the reference`, async () => {
    const reference = readSafetensors(join(fixtures, "reference", `${name}.safetensors`));
    const prompt = (JSON.parse(reference.metadata["prompts"]!) as string[])[0]!;
    const hooks = [
      "blocks.0.hook_resid_pre",
      "blocks.1.hook_attn_out",
      "blocks.1.hook_mlp_out",
      "blocks.1.hook_resid_post",
    ];
    const out = join(work, `${name}.safetensors`);
    const model = join(fixtures, "models", name);
    const printed = await run(lmRunCommand, [
      "--model",
      model,
      "--prompt",
      prompt,
      "--hooks",
      hooks.join(","),
      "--out",
      out,
    ]);
    assert.match(printed, /wrote .*input_ids \[\d+\], logits \[\d+, 8257\]/);
    const { tensors } = readSafetensors(out);
    assert.deepEqual(Object.keys(tensors).sort(), ["input_ids", "logits", ...hooks].sort());
    assert.deepEqual([...tensors["input_ids"]!.data], [...reference.tensors["p0.input_ids"]!.data]);
    for (const key of ["logits", ...hooks]) {
      assert.deepEqual(tensors[key]!.shape, reference.tensors[`p0.${key}`]!.shape);
      const error = maxAbsDifference(tensors[key]!.data, reference.tensors[`p0.${key}`]!.data);
      assert.ok(error <= 1e-3, `${key}: ${error}`);
    }
  });
}

test("lm run --bos prepends the BOS token", async () => {
  const out = join(work, "bos.safetensors");
  const model = join(fixtures, "models", "sotu-gpt2-6l");
  await run(lmRunCommand, ["--model", model, "--prompt", "Hello", "--bos", "--out", out]);
  assert.equal(readSafetensors(out).tensors["input_ids"]!.data[0], 8256);
});

test("lm run rejects a bad hook, a missing model and missing flags with the fix", async () => {
  const model = join(fixtures, "models", "sotu-gpt2-6l");
  const out = join(work, "x.safetensors");
  await assert.rejects(
    run(lmRunCommand, ["--model", model, "--prompt", "a", "--hooks", "blocks.7.hook_resid_post", "--out", out]),
    (e: unknown) => e instanceof UsageError && /--hooks: Unknown hook "blocks\.7/.test(e.message),
  );
  await assert.rejects(
    run(lmRunCommand, ["--model", join(work, "nope"), "--prompt", "a", "--out", out]),
    (e: unknown) =>
      e instanceof UsageError && /--model: .*neither an existing directory nor a Hugging Face id/.test(e.message),
  );
  await assert.rejects(run(lmRunCommand, ["--prompt", "a", "--out", out]), /--model is required/);
  assert.throws(() => parseCommandArgs(lmRunCommand, ["--modle", "x"]), /interlace lm run --help/);
});

test("lm generate prints the prompt and its greedy continuation", async () => {
  const model = join(fixtures, "models", "sotu-gpt2-6l");
  const args = ["--model", model, "--prompt", "The Congress", "--max-tokens", "6"];
  const first = await run(lmGenerateCommand, args);
  assert.ok(first.startsWith("The Congress") && first.length > "The Congress".length + 3, first);
  assert.equal(await run(lmGenerateCommand, args), first, "greedy decoding is deterministic");
  const sampled = await run(lmGenerateCommand, [...args, "--temperature", "1", "--top-k", "20", "--seed", "3"]);
  assert.equal(await run(lmGenerateCommand, [...args, "--temperature", "1", "--top-k", "20", "--seed", "3"]), sampled);
  await assert.rejects(run(lmGenerateCommand, [...args, "--top-p", "2"]), /--top-p must be in \(0, 1\]/);
});
