import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DEMO_DESIGN_PATH, demoDesign } from "@interlace/compute/stimulus";
import { openDatabase } from "@interlace/server";
import { runCli, tinyStudyArgs } from "./support/cli.js";

const home = mkdtempSync(join(tmpdir(), "interlace-stimulus-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { INTERLACE_HOME: home };
let studyId = "";

async function storedAnalyses(): Promise<number> {
  const db = await openDatabase({ home, databaseUrl: undefined });
  try {
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from stimulus_analyses`;
    return row?.n ?? 0;
  } finally {
    await db.close();
  }
}

before(async () => {
  const study = await runCli(tinyStudyArgs("stimulus study"), env);
  assert.equal(study.code, 0, study.stderr);
  studyId = /^study (\S+) stored/m.exec(study.stdout)?.[1] ?? "";
  assert.ok(studyId, study.stdout);
});

type Result = {
  measure: string;
  anova_type: number;
  values: { cell: string; prompt: string; value: number }[];
  cells: { cell: string; n: number; mean: number; ci95: [number, number] }[];
  anova: Record<"a" | "b" | "ab", { F: number; p: number; partial_eta2: number }>;
  contrast: { value: number; ci95: [number, number]; p_permutation: number };
  discovered: { kind: string; index: number; effect: string; value: number; p: number; q: number }[];
};

test("stimulus run on the demo design prints the pinned JSON as its last line and stores the analysis", async () => {
  const run = await runCli(
    [
      "stimulus",
      "run",
      "--study",
      studyId,
      "--design",
      DEMO_DESIGN_PATH,
      "--measure",
      "interaction_norm",
      "--anova-type",
      "3",
      "--json",
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Result;
  assert.deepEqual(Object.keys(result), [
    "measure",
    "anova_type",
    "values",
    "cells",
    "anova",
    "contrast",
    "discovered",
  ]);
  assert.equal(result.measure, "interaction_norm");
  assert.equal(result.anova_type, 3);
  const design = demoDesign();
  assert.equal(result.values.length, 24);
  assert.deepEqual(result.values[0], { cell: "a0b0", prompt: design.prompts.a0b0[0], value: result.values[0]!.value });
  assert.deepEqual(
    result.cells.map((c) => c.n),
    [6, 6, 6, 6],
  );
  for (const c of result.cells) assert.ok(c.ci95[0] <= c.mean && c.mean <= c.ci95[1], JSON.stringify(c));
  assert.deepEqual(Object.keys(result.anova.ab), ["F", "p", "partial_eta2"]);
  assert.deepEqual(Object.keys(result.contrast), ["value", "ci95", "p_permutation"]);
  assert.ok(result.contrast.p_permutation >= 1 / 10_001);
  assert.ok(result.discovered.length > 0);
  assert.deepEqual(Object.keys(result.discovered[0]!), ["kind", "index", "effect", "value", "p", "q"]);
  assert.match(run.stdout, /stimulus analysis \S+ stored for study/);
  assert.equal(await storedAnalyses(), 1);
});

test("bad designs, measures and studies exit 2 naming the field, and store nothing", async () => {
  const short = structuredClone(demoDesign());
  short.prompts.a1b1 = short.prompts.a1b1.slice(0, 3);
  const shortPath = join(home, "short.json");
  writeFileSync(shortPath, JSON.stringify(short));
  const long = structuredClone(demoDesign());
  long.prompts.a0b0[1] = "war ".repeat(300);
  const longPath = join(home, "long.json");
  writeFileSync(longPath, JSON.stringify(long));
  const target = { ...demoDesign(), targets: [99999] };
  const targetPath = join(home, "target.json");
  writeFileSync(targetPath, JSON.stringify(target));
  const cases: [string[], RegExp][] = [
    [
      ["--study", studyId, "--design", shortPath, "--measure", "interaction_norm"],
      /prompts\.a1b1: cell \(place Mexico, topic war\) has 3 prompts/,
    ],
    [
      ["--study", studyId, "--design", longPath, "--measure", "interaction_norm"],
      /prompts\.a0b0\[1\]: has \d+ tokens, more than the study's context/,
    ],
    [
      ["--study", studyId, "--design", targetPath, "--measure", "interaction_norm"],
      /targets\[0\]: feature 99999 is out of range/,
    ],
    [
      ["--study", studyId, "--design", DEMO_DESIGN_PATH, "--measure", "k_dim:9999"],
      /--measure: measure k_dim:9999 is out of range/,
    ],
    [
      ["--study", "no such study", "--design", DEMO_DESIGN_PATH, "--measure", "interaction_norm"],
      /--study: there is no study with id or name "no such study"/,
    ],
    [
      ["--study", studyId, "--design", DEMO_DESIGN_PATH, "--measure", "residual_norm", "--anova-type", "1"],
      /--anova-type must be 2 or 3/,
    ],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(["stimulus", "run", ...args], env);
    assert.equal(run.code, 2, `${args.join(" ")}\n${run.stderr}`);
    assert.match(run.stderr, message);
  }
  assert.equal(await storedAnalyses(), 1);
});
