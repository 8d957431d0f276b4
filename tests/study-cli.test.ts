import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { listStudies, loadConfig, openDatabase, RunService } from "@interlace/server";
import { runExecutor } from "@interlace/server/studies";
import { runNextJob } from "@interlace/server/worker";
import { runCli, tinyStudyArgs } from "./support/cli.js";

const home = mkdtempSync(join(tmpdir(), "interlace-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { INTERLACE_HOME: home };
/** The report of the uninterrupted tiny study, to compare a resumed one with. */
let straightReport: Record<string, unknown> | null = null;

test("interlace --help lists the commands and each command explains its flags", async () => {
  const overview = await runCli(["--help"], env);
  assert.equal(overview.code, 0);
  for (const word of ["study run", "migrate", "serve", "start", "harvest", "lm run"])
    assert.match(overview.stdout, new RegExp(word));
  const help = await runCli(["study", "run", "--help"], env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--d-sae N\s+SAE width \(default \d+/);
});

test("bad input exits non-zero with a message that names the fix", async () => {
  const wrongFlag = await runCli(["study", "run", "--modle", "x"], env);
  assert.equal(wrongFlag.code, 2);
  assert.match(wrongFlag.stderr, /--modle/);
  assert.match(wrongFlag.stderr, /interlace study run --help/);
  const missing = await runCli(["study", "run", "--model", join(home, "no-such-model"), "--layer", "3"], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--model: no directory .*no-such-model/);
  const unknown = await runCli(["frobnicate"], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test("migrate applies once, then is a no-op", async () => {
  const first = await runCli(["migrate"], env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /applied 0001_init/);
  const second = await runCli(["migrate"], env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /already up to date/);
});

test("a tiny study runs end to end and is read back from the database", async () => {
  const out = join(home, "report");
  const started = Date.now();
  const result = await runCli([...tinyStudyArgs("cli e2e"), "--out", out], env);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(result.code, 0, result.stderr);
  console.log(`tiny study wall time: ${seconds.toFixed(1)} s`);

  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  straightReport = report;
  assert.equal(report.provenance.hook, "blocks.3.hook_resid_post");
  const measured = JSON.parse(readFileSync(join(home, "engine.json"), "utf8"));
  assert.equal(report.provenance.backend, measured.engine, "the study records the engine measured for its home");
  assert.equal(report.report_version, 2);
  for (const key of ["residual_sae", "linear_f", "linear_f_nl", "linear_x", "mlp_matched", "permutation_null"]) {
    assert.ok(Number.isFinite(report.controls[key].er), `controls.${key}.er`);
  }
  for (const key of ["full", "interaction_only", "full_nl"]) {
    const { er, ci95 } = report.nfm[key];
    assert.ok(ci95[0] <= er && er <= ci95[1], `nfm.${key}: ${er} outside ${ci95}`);
  }
  for (const key of ["linear_f", "linear_f_nl", "linear_x"]) assert.equal(report.controls[key].fit, "closed_form");
  for (const model of [...Object.values(report.nfm), ...Object.values(report.controls)] as { fit: string }[]) {
    assert.match(model.fit, /^(closed_form|early_stopped|budget_exhausted)$/);
  }
  assert.equal(typeof report.converged, "boolean");
  assert.ok(Number.isFinite(report.nonlinear_error_gain.value));
  assert.equal(typeof report.verdict.beats_all_controls, "boolean");

  const joint = report.joint_finetune;
  assert.match(joint.label, /not comparable with the frozen-SAE controls/);
  assert.deepEqual(
    joint.arms.map((arm: { name: string }) => arm.name),
    ["sae_alone", "sae_nfm", "sae_linear_f", "sae_mlp_matched"],
  );
  for (const arm of joint.arms) {
    assert.equal(arm.steps, 30, `${arm.name} ran ${arm.steps} steps`);
    assert.ok(arm.ci95[0] <= arm.explained_variance && arm.explained_variance <= arm.ci95[1], arm.name);
  }
  for (const key of ["joint_gain", "joint_interaction_gain", "joint_specificity"]) {
    assert.ok(Number.isFinite(joint[key].value), `${key} ${JSON.stringify(joint[key])}`);
  }
  assert.match(joint.sentence, /SAE \+ NFM explains/);
  assert.match(readFileSync(join(out, "report.md"), "utf8"), /## Joint fine-tuning \(separate mode, 30 steps\)/);
  assert.ok(report.sae.explained_variance > 0.3, `SAE explained variance ${report.sae.explained_variance}`);
  assert.match(readFileSync(join(out, "report.md"), "utf8"), /## Verdict/);

  const db = await openDatabase({ home, databaseUrl: undefined });
  try {
    const studies = await listStudies(db.sql, { limit: 500 });
    assert.equal(studies.length, 1);
    const study = studies[0]!;
    assert.equal(study.name, "cli e2e");
    const [counts] = await db.sql<{ features: number; firing: number; without: number; pairs: number }[]>`
      select (select count(*)::int from features where study_id = ${study.id}) as features,
             (select count(*)::int from features where study_id = ${study.id} and density > 0) as firing,
             (select count(*)::int from features f where f.study_id = ${study.id} and f.density > 0
                and not exists (select 1 from feature_examples e
                                 where e.study_id = f.study_id and e.feature_index = f.index)) as without,
             (select count(*)::int from interactions where study_id = ${study.id}) as pairs`;
    assert.equal(counts!.features, 256);
    assert.ok(counts!.firing > 0, "no feature fired on held-out tokens");
    assert.equal(counts!.without, 0, "every feature that fired on held-out tokens has its top contexts");
    assert.ok(counts!.pairs > 0, "no interaction pairs stored");
  } finally {
    await db.close();
  }
});

test("the study stored feature data, and `interlace features compute` recomputes it from the study's folder", async () => {
  const counts = async () => {
    const db = await openDatabase({ home, databaseUrl: undefined });
    try {
      const [row] = await db.sql<
        { bins: number; quantiles: number; logits: number; neighbours: number; mean: number }[]
      >`
        select (select count(*)::int from feature_histogram_bins) as bins,
               (select count(*)::int from feature_quantiles) as quantiles,
               (select count(*)::int from feature_logits) as logits,
               (select count(*)::int from feature_neighbours) as neighbours,
               (select max(mean_activation) from features) as mean`;
      return row!;
    } finally {
      await db.close();
    }
  };
  const stored = await counts();
  assert.deepEqual(
    { bins: stored.bins, quantiles: stored.quantiles, logits: stored.logits, neighbours: stored.neighbours },
    { bins: 256 * 100, quantiles: 256 * 10, logits: 256 * 20, neighbours: 256 * 10 },
  );
  assert.ok(stored.mean > 0);

  const unknown = await runCli(["features", "compute", "--study", "no such study"], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--study: there is no study with id or name "no such study"/);
  const again = await runCli(["features", "compute", "--study", "cli e2e"], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /feature data of 256 features stored for study/);
  assert.deepEqual(await counts(), stored, "recomputing replaces the feature data with the same data");
});

test("a queued feature-data run recomputes an existing study's feature data in the worker and stores it once", async () => {
  const config = loadConfig({ ...process.env, ...env, DATABASE_URL: undefined });
  const db = await openDatabase({ home, databaseUrl: undefined });
  try {
    const [study] = await db.sql<{ id: string }[]>`select id from studies where name = 'cli e2e'`;
    assert.ok(study, "the end-to-end study is stored");
    await db.sql`delete from feature_histogram_bins where study_id = ${study.id}`;
    const run = await new RunService(db.sql, config).requestFeatureDataRun(study.id);
    const finished = await runNextJob({ sql: db.sql, executor: runExecutor(db.sql, config), workerId: "test" });
    assert.equal(finished?.id, run.id);
    assert.equal(finished?.status, "succeeded", finished?.error ?? "");
    const [bins] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from feature_histogram_bins where study_id = ${study.id}`;
    assert.equal(bins?.n, 256 * 100, "every feature's activation and logit histograms are back");
  } finally {
    await db.close();
  }
});

test("a study killed while it trains the controls resumes from its folder and reports what an uninterrupted run does", async () => {
  assert.ok(straightReport, "runs after the end-to-end study");
  const dir = join(home, "killed-study");
  const killed = await runCli([...tinyStudyArgs("resumed"), "--dir", dir], env, /training mlp_matched \(seed/);
  assert.equal(killed.code, null, `the study ended before it was killed:\n${killed.stderr}`);
  assert.match(killed.stderr, new RegExp(`interlace study run --resume ${dir}`));

  const refused = await runCli(["study", "run", "--resume", dir, "--tokens", "9000"], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /drop --tokens/);

  const out = join(home, "resumed-report");
  const resumed = await runCli(["study", "run", "--resume", dir, "--out", out], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /SAE loaded from the resumed study/);
  const split = JSON.parse(readFileSync(join(dir, "split.json"), "utf8"));
  assert.match(split.mode, /^(document|window)$/);
  assert.ok(split.train.length > 0 && split.validation.length > 0 && split.held_out.length > 0);
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  for (const section of [
    "sae",
    "controls",
    "nfm",
    "interaction_gain",
    "interaction_specificity",
    "nonlinear_error_gain",
    "converged",
    "verdict",
    "joint_finetune",
  ]) {
    assert.deepEqual(report[section], straightReport[section], `report.${section} differs after resume`);
  }
  const again = await runCli([...tinyStudyArgs("again"), "--dir", dir], env);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already holds a study; continue it with --resume/);
});
