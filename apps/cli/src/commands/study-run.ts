import { existsSync } from "node:fs";
import { join } from "node:path";
import { isHubId } from "@interlace/compute/lm";
import {
  PRESETS,
  presetSettings,
  readStudyIdentity,
  STUDY_FILE,
  type StudyIdentity,
  type StudySettings,
} from "@interlace/compute/study";
import { newStudyDir, runAndStoreStudy, type StudyRequest, writeReportFiles } from "@interlace/server/studies";
import {
  type Command,
  floatFlag,
  intFlag,
  type ParsedValues,
  requiredString,
  stringFlag,
  UsageError,
} from "../command.js";
import { describeDatabase, openMigratedDatabase } from "../database.js";
import { studyProgressPrinter } from "../study-progress.js";

const d = PRESETS.default;
const t = PRESETS.tiny;

function settingsFrom(values: ParsedValues): StudySettings {
  const preset = stringFlag(values, "preset") ?? "default";
  let base: StudySettings;
  try {
    base = presetSettings(preset);
  } catch (error) {
    throw new UsageError(`--preset: ${(error as Error).message}`);
  }
  const seeds = stringFlag(values, "seeds");
  const parsedSeeds = seeds === undefined ? base.seeds : seeds.split(",").map((s) => Number(s.trim()));
  if (parsedSeeds.length === 0 || parsedSeeds.some((s) => !Number.isInteger(s))) {
    throw new UsageError(`--seeds must be comma-separated integers, e.g. --seeds 0,1,2; got ${JSON.stringify(seeds)}.`);
  }
  return {
    ...base,
    tokens: intFlag(values, "tokens", base.tokens, 256),
    context: intFlag(values, "context", base.context, 2),
    corpus: stringFlag(values, "corpus") ?? base.corpus,
    dSae: intFlag(values, "d-sae", base.dSae, 2),
    l1: floatFlag(values, "l1", base.l1),
    saeSteps: intFlag(values, "sae-steps", base.saeSteps, 1),
    nfmK: intFlag(values, "nfm-k", base.nfmK, 1),
    nfmSteps: intFlag(values, "nfm-steps", base.nfmSteps, 1),
    residualSaeSteps: intFlag(values, "residual-sae-steps", base.residualSaeSteps, 1),
    seeds: parsedSeeds,
    residualSae: values["no-residual-sae"] === true ? false : base.residualSae,
    workers: intFlag(values, "workers", base.workers, 1),
    jointSteps: intFlag(values, "joint-steps", base.jointSteps, 0),
  };
}

export const studyRunCommand: Command = {
  path: ["study", "run"],
  summary: "Harvest → SAE → NFM and its controls → inspection; store the study and write report.json.",
  usage: `Flags:
  --model M          Hugging Face model directory or hub id org/name (required)
  --layer L          study blocks.L.hook_resid_post (required unless --sae names the hook)
  --sae DIR          study an existing SAELens SAE instead of training one (its cfg names the hook)
  --name S           the study's name (default: <model> L<layer>)
  --preset P         default | tiny (default: default)
  --tokens N         tokens harvested (default ${d.tokens}; tiny ${t.tokens})
  --context N        tokens per window (default ${d.context})
  --corpus C         sotu | moby-dick | a folder of .txt | a .jsonl with "text" (default ${d.corpus})
  --d-sae N          SAE width (default ${d.dSae}; tiny ${t.dSae})
  --l1 λ             SAE sparsity coefficient (default ${d.l1})
  --sae-steps N      SAE training steps (default ${d.saeSteps}; tiny ${t.saeSteps})
  --nfm-k K          NFM embedding width (default ${d.nfmK}; tiny ${t.nfmK})
  --nfm-steps N      step budget of the NFM and each control per learning rate (early stopping ends sooner; default ${d.nfmSteps}; tiny ${t.nfmSteps})
  --seeds a,b,c      seeds of every model (default ${d.seeds.join(",")}; tiny ${t.seeds.join(",")})
  --residual-sae-steps N  steps of each residual-SAE control run (default ${d.residualSaeSteps}; tiny ${t.residualSaeSteps})
  --no-residual-sae  skip the residual-SAE control
  --workers N        threads for SAE training and for training the NFMs and controls side by side
                     (default ${d.workers}; tiny ${t.workers})
  --joint-steps N    also run the separate joint SAE + NFM fine-tuning mode for N steps (default 0: off); it
                     fine-tunes the SAE alone, SAE + NFM and SAE + matched MLP from the same start and reports
                     them apart, since the SAE itself changes
  --out DIR          also write report.json and report.md there
  --dir DIR          the study's own folder (default: a new one under $INTERLACE_HOME/studies)
  --resume DIR       continue an interrupted study in its folder with its own settings (only --workers and --out
                     may be given with it): the harvest, the SAE and every finished NFM / control are reused and
                     an interrupted model continues from its last checkpoint
`,
  options: {
    model: { type: "string" },
    layer: { type: "string" },
    sae: { type: "string" },
    name: { type: "string" },
    preset: { type: "string" },
    tokens: { type: "string" },
    context: { type: "string" },
    corpus: { type: "string" },
    "d-sae": { type: "string" },
    l1: { type: "string" },
    "sae-steps": { type: "string" },
    "nfm-k": { type: "string" },
    "nfm-steps": { type: "string" },
    seeds: { type: "string" },
    "residual-sae-steps": { type: "string" },
    "no-residual-sae": { type: "boolean" },
    workers: { type: "string" },
    "joint-steps": { type: "string" },
    out: { type: "string" },
    dir: { type: "string" },
    resume: { type: "string" },
  },
  async run(values, _positionals, config) {
    const resumeDir = stringFlag(values, "resume");
    const { request, dir } = resumeDir ? resumedRequest(values, resumeDir) : newRequest(values);
    const { db } = await openMigratedDatabase(config);
    try {
      console.error(`study "${request.name}": ${describeDatabase(config, db)}`);
      const studyDir = dir ?? newStudyDir(config.home, request.name);
      console.error(`study folder ${studyDir} (if interrupted: interlace study run --resume ${studyDir})`);
      const stored = await runAndStoreStudy(db.sql, config, request, {
        onProgress: studyProgressPrinter(),
        dir: studyDir,
        resume: resumeDir !== undefined,
      });
      const out = stringFlag(values, "out");
      if (out) writeReportFiles(out, stored.report);
      console.log(`study ${stored.studyId} stored; report in ${out ?? stored.dir}`);
      console.log(stored.report.verdict.sentence);
    } finally {
      await db.close();
    }
  },
};

/** Flags that --resume may be combined with (they change neither the data nor the models). */
const RESUME_COMPATIBLE = new Set(["resume", "workers", "out"]);

function resumedRequest(values: ParsedValues, dir: string): { request: StudyRequest; dir: string } {
  const extra = Object.keys(values).filter((name) => values[name] !== undefined && !RESUME_COMPATIBLE.has(name));
  if (extra.length > 0) {
    throw new UsageError(
      `--resume continues a study with the settings in its ${STUDY_FILE}; drop ${extra.map((n) => `--${n}`).join(", ")} (only --workers and --out may be given).`,
    );
  }
  let identity: StudyIdentity | null;
  try {
    identity = readStudyIdentity(dir);
  } catch (error) {
    throw new UsageError(`--resume: ${dir}/${STUDY_FILE} cannot be read (${(error as Error).message}).`);
  }
  if (!identity) {
    throw new UsageError(`--resume: ${dir} holds no ${STUDY_FILE}; give the folder a study printed when it started.`);
  }
  const settings = { ...identity.settings, workers: intFlag(values, "workers", identity.settings.workers, 1) };
  return {
    dir,
    request: {
      name: identity.name,
      model: identity.modelName,
      ...(identity.layer !== null ? { layer: identity.layer } : {}),
      ...(identity.saeDir !== null ? { saeDir: identity.saeDir } : {}),
      settings,
    },
  };
}

function newRequest(values: ParsedValues): { request: StudyRequest; dir: string | undefined } {
  const model = requiredString(values, "model", "give a Hugging Face model directory or id, e.g. --model ./my-gpt2.");
  if (!isHubId(model) && !existsSync(model)) {
    throw new UsageError(`--model: no directory ${model}; give a Hugging Face model directory or a hub id org/name.`);
  }
  const saeDir = stringFlag(values, "sae");
  if (saeDir !== undefined && !existsSync(saeDir)) {
    throw new UsageError(`--sae: no directory ${saeDir}; give a SAELens folder (cfg.json + sae_weights.safetensors).`);
  }
  const layer = values["layer"] === undefined ? undefined : intFlag(values, "layer", 0, 0);
  if (layer === undefined && saeDir === undefined) {
    throw new UsageError("--layer is required (or --sae with a cfg that names its hook), e.g. --layer 3.");
  }
  const settings = settingsFrom(values);
  const name = stringFlag(values, "name") ?? `${model.split("/").filter(Boolean).pop()} L${layer ?? "sae"}`;
  const dir = stringFlag(values, "dir");
  if (dir !== undefined && existsSync(join(dir, STUDY_FILE))) {
    throw new UsageError(`--dir: ${dir} already holds a study; continue it with --resume ${dir} or pick a new folder.`);
  }
  return {
    dir,
    request: { name, model, ...(layer !== undefined ? { layer } : {}), ...(saeDir ? { saeDir } : {}), settings },
  };
}
