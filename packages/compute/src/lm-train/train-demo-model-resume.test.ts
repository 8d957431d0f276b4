import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readSafetensors } from "../io/safetensors.js";
import { CHECKPOINT_FILE } from "../train/checkpoint.js";
import type { CurvePoint } from "./demo-config.js";
import { type TrainDemoModelOptions, trainDemoModel } from "./train-demo-model.js";

const root = mkdtempSync(join(tmpdir(), "lm-train-resume-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Eight short documents of patterned sentences. */
function writeCorpus(): string {
  const dir = join(root, "corpus");
  mkdirSync(dir);
  const subjects = ["The Congress", "The nation", "Our people", "The treasury"];
  const objects = ["the union", "the states", "every citizen", "the public debt"];
  for (let d = 0; d < 8; d++) {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `${subjects[(d + i) % 4]} shall serve ${objects[(i * 3 + d) % 4]}.`,
    );
    writeFileSync(join(dir, `doc_${d}.txt`), lines.join(" "));
  }
  return dir;
}

const corpus = writeCorpus();

function options(out: string, extra: Partial<TrainDemoModelOptions> = {}): TrainDemoModelOptions {
  return {
    corpus,
    out,
    steps: 24,
    merges: 200,
    seed: 5,
    size: { nLayers: 1, dModel: 16, nHeads: 2, context: 12 },
    batchSize: 4,
    lr: 1e-2,
    heldOutFraction: 0.25,
    evalWindows: 4,
    evalPoints: 3,
    checkpointEvery: 5,
    backend: "auto",
    ...extra,
  };
}

function weights(dir: string) {
  return readSafetensors(join(dir, "model.safetensors")).tensors;
}

const withoutSeconds = (curve: CurvePoint[]) => curve.map(({ seconds: _, ...point }) => point);

test("training stopped by its signal resumes from its checkpoint and ends with the uninterrupted run's weights", async () => {
  const whole = await trainDemoModel(options(join(root, "whole")));

  const out = join(root, "interrupted");
  const controller = new AbortController();
  const firstSteps: number[] = [];
  await assert.rejects(
    trainDemoModel(
      options(out, {
        signal: controller.signal,
        // Stopped at the first curve point (step 8): between two periodic checkpoints (5 and 10).
        onEval: (point) => {
          firstSteps.push(point.step);
          if (point.step > 0) controller.abort();
        },
      }),
    ),
    /cancelled at step 8; its checkpoint in .* lets a resumed run continue/,
  );
  assert.deepEqual(firstSteps, [0, 8]);
  assert.deepEqual(readdirSync(out), [CHECKPOINT_FILE], "the output folder holds only the checkpoint");
  assert.ok(!readdirSync(root).some((name) => name.includes(".partial-")), "no staging folder is left behind");
  assert.match(
    (await trainDemoModel(options(out)).catch((error: Error) => error.message)) as string,
    /already exists and is not empty/,
    "without resume the checkpoint is not silently replaced",
  );

  // A checkpoint write cut short by a killed process leaves its temporary file; resuming is not hindered by it.
  writeFileSync(join(out, `.${CHECKPOINT_FILE}.4242.1.tmp`), "partial");
  const logs: string[] = [];
  const laterSteps: number[] = [];
  const resumed = await trainDemoModel(
    options(out, { resume: true, onLog: (m) => logs.push(m), onEval: (p) => laterSteps.push(p.step) }),
  );
  assert.deepEqual(logs, ["resuming the model's training at step 8 from its checkpoint"]);
  assert.deepEqual(laterSteps, [16, 24], "the step counter continues from the checkpoint");
  assert.equal(resumed.steps, 24);
  assert.deepEqual(withoutSeconds(resumed.curve), withoutSeconds(whole.curve));
  assert.equal(resumed.valLoss, whole.valLoss);
  assert.ok(!existsSync(join(out, CHECKPOINT_FILE)), "the finished model replaces the checkpoint");
  const [a, b] = [weights(join(root, "whole")), weights(out)];
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const name of Object.keys(a)) assert.deepEqual(b[name]!.data, a[name]!.data, `${name} equals bit for bit`);
});

test("a checkpoint of other settings is set aside: training starts over and says why", async () => {
  const out = join(root, "changed");
  const controller = new AbortController();
  await assert.rejects(
    trainDemoModel(
      options(out, {
        signal: controller.signal,
        onEval: (point) => {
          if (point.step > 0) controller.abort();
        },
      }),
    ),
    /cancelled at step 8/,
  );
  const logs: string[] = [];
  const steps: number[] = [];
  const result = await trainDemoModel(
    options(out, { lr: 5e-3, resume: true, onLog: (m) => logs.push(m), onEval: (p) => steps.push(p.step) }),
  );
  assert.deepEqual(logs, ["training the model from the start: its checkpoint was trained with other lr"]);
  assert.deepEqual(steps, [0, 8, 16, 24]);
  assert.equal(result.steps, 24);
});
