import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readSafetensors } from "@interlace/compute/io";
import { loadModel, maxAbsDifference } from "@interlace/compute/lm";
import { loadSaeLens } from "@interlace/compute/sae";
import { saeSteeringHook } from "@interlace/compute/steering";
import { fixturesDir as fixtures } from "@interlace/compute/testing";
import { UsageError } from "../command.js";
import { loadCliConfig } from "../config.js";
import { runCommandCapturing } from "../testing/run-command.js";
import { lmGenerateCommand } from "./lm-generate.js";
import { lmRunCommand } from "./lm-run.js";

const work = mkdtempSync(join(tmpdir(), "lm-steer-test-"));
const config = loadCliConfig({ INTERLACE_HOME: join(work, "home") });
after(() => rmSync(work, { recursive: true, force: true }));
const model = join(fixtures, "models", "sotu-gpt2-6l");
const saeDir = join(fixtures, "saes", "sotu-gpt2-6l-L3-standard-1024");
const PROMPT = "The people of the United States";

test("lm run --steer-* writes the steered forward pass: logits as the steering hook gives them", async () => {
  const out = join(work, "steered.safetensors");
  const plainOut = join(work, "plain.safetensors");
  const steer = ["--steer-sae", saeDir, "--steer-feature", "647", "--steer-mode", "clamp", "--steer-value", "0"];
  const more = ["--steer-feature", "12", "--steer-mode", "add", "--steer-value=-3.5"];
  const hook = "blocks.3.hook_resid_post";
  const base = ["--model", model, "--prompt", PROMPT, "--hooks", hook];
  await runCommandCapturing(lmRunCommand, [...base, ...steer, ...more, "--out", out], config);
  await runCommandCapturing(lmRunCommand, [...base, "--out", plainOut], config);
  const steered = readSafetensors(out);
  const plain = readSafetensors(plainOut);
  assert.deepEqual(Object.keys(steered.tensors).sort(), Object.keys(plain.tensors).sort());
  assert.deepEqual(JSON.parse(steered.metadata["steer"]!).features, [
    { index: 647, mode: "clamp", value: 0 },
    { index: 12, mode: "add", value: -3.5 },
  ]);
  const lm = await loadModel(model, { backend: "auto" });
  const sae = loadSaeLens(saeDir);
  try {
    const features = [
      { index: 647, mode: "clamp" as const, value: 0 },
      { index: 12, mode: "add" as const, value: -3.5 },
    ];
    const { logits } = lm.forward([lm.encode(PROMPT)], { writeHooks: { [hook]: saeSteeringHook(sae, features) } });
    const expected = logits!.dataSync() as Float32Array;
    logits!.dispose();
    assert.ok(maxAbsDifference(steered.tensors["logits"]!.data, expected) <= 1e-4);
    assert.ok(maxAbsDifference(steered.tensors["logits"]!.data, plain.tensors["logits"]!.data) > 1e-2);
  } finally {
    lm.dispose();
    sae.dispose();
  }
});

test("lm generate --steer-* prints the baseline and the steered text", async () => {
  const args = ["--model", model, "--prompt", PROMPT, "--max-new-tokens", "12"];
  const steer = ["--steer-sae", saeDir, "--steer-feature", "647", "--steer-mode", "clamp", "--steer-value", "0"];
  const printed = await runCommandCapturing(lmGenerateCommand, [...args, ...steer], config, { quietStderr: true });
  const baseline = /^baseline: (.*)$/m.exec(printed)?.[1];
  const steered = /^steered: {2}(.*)$/m.exec(printed)?.[1];
  assert.ok(baseline?.startsWith(PROMPT) && steered?.startsWith(PROMPT), printed);
  assert.notEqual(steered, baseline, "clamping feature 647 to 0 changes the greedy continuation");
  const plain = await runCommandCapturing(lmGenerateCommand, args, config, { quietStderr: true });
  assert.equal(plain.trim(), baseline);
});

test("bad steering flags exit with a usage error naming the flag", async () => {
  const badSae = join(work, "bad-hook-sae");
  cpSync(saeDir, badSae, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(badSae, "cfg.json"), "utf8"));
  cfg.metadata.hook_name = "blocks.9.hook_resid_post";
  writeFileSync(join(badSae, "cfg.json"), JSON.stringify(cfg));
  const run = (extra: string[], command = lmRunCommand, prompt = PROMPT, m = model) =>
    runCommandCapturing(
      command,
      ["--model", m, "--prompt", prompt, "--out", join(work, "bad.safetensors"), ...extra],
      config,
    );
  const steer = (feature: string, mode: string, value: string, sae = saeDir) => [
    "--steer-sae",
    sae,
    "--steer-feature",
    feature,
    "--steer-mode",
    mode,
    "--steer-value",
    value,
  ];
  const refused = async (promise: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(promise, (e: unknown) => e instanceof UsageError && pattern.test(e.message));
  await refused(run(steer("1024", "add", "1")), /^--steer-feature: feature 1024 does not exist; .*0\.\.1023/);
  await refused(run(steer("1", "add", "NaN")), /^--steer-value: NaN is not a finite number/);
  await refused(run(steer("1", "add", "Infinity")), /^--steer-value: Infinity is not a finite number/);
  await refused(
    run([...steer("1", "add", "0").slice(0, 6), "--steer-value=-Infinity"]),
    /^--steer-value: -Infinity is not a finite number/,
  );
  await refused(run(steer("1", "add", "abc")), /^--steer-value must be a number/);
  await refused(run(steer("x", "add", "1")), /^--steer-feature must be a whole number/);
  await refused(run(steer("1", "scale", "1")), /^--steer-mode: "scale" is not a mode .*add or clamp/);
  await refused(run(steer("1", "add", "1", badSae)), /^--steer-sae: the SAE's hook does not fit/);
  await refused(
    run(steer("1", "add", "1"), lmRunCommand, PROMPT, join(fixtures, "models", "tiny-llama-random")),
    /^--steer-sae: /,
  );
  await refused(
    run([...steer("1", "add", "1"), "--steer-feature", "2"]),
    /--steer-mode is given 1 times but --steer-feature 2/,
  );
  await refused(run(["--steer-feature", "2"]), /--steer-sae is required/);
  const nine = Array.from({ length: 9 }, (_, i) => steer(String(i), "add", "1").slice(2)).flat();
  await refused(run(["--steer-sae", saeDir, ...nine]), /^--steer-feature: 9 features given; steer at most 8/);
  await refused(run(steer("1", "add", "1"), lmRunCommand, " the".repeat(300)), /^--prompt: .*context of 256/);
  await refused(
    runCommandCapturing(
      lmGenerateCommand,
      ["--model", model, "--prompt", PROMPT, "--max-new-tokens", "65", ...steer("1", "add", "1")],
      config,
    ),
    /^--max-new-tokens: 65 new tokens asked; .*1 to 64/,
  );
});
