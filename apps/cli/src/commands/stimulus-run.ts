import { readFileSync } from "node:fs";
import {
  DesignError,
  MeasureError,
  parseDesign,
  type StimulusDesign,
  type StimulusResult,
  stimulusResultJson,
} from "@interlace/compute/stimulus";
import { runAndStoreStimulus, StudyRefError } from "@interlace/server/studies";
import { type Command, requiredString, stringFlag, UsageError } from "../command.js";
import { describeDatabase, openMigratedDatabase } from "../database.js";
import { studyProgressPrinter } from "../study-progress.js";
import { anovaTypeFlag } from "./stats-anova2.js";

function readDesign(path: string): StimulusDesign {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--design: cannot read ${path} as JSON (${(error as Error).message}); give a design file.`);
  }
  try {
    return parseDesign(raw);
  } catch (error) {
    if (error instanceof DesignError) throw new UsageError(`--design ${path}: ${error.message}`);
    throw error;
  }
}

const num = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toPrecision(digits);

function summary(result: StimulusResult): string {
  const { main, design, discovery, pairs } = result;
  const lines = [
    `${design.name}: ${main.measure}, readout ${design.readout}, ANOVA type ${main.anovaType === 2 ? "II" : "III"}`,
    ...main.cells.map(
      (c) => `  ${c.cell}  n ${c.n}  mean ${num(c.mean)}  95% CI [${num(c.ci95[0])}, ${num(c.ci95[1])}]`,
    ),
    ...(["a", "b", "ab"] as const).map((t) => {
      const term = main.anova[t];
      const label = t === "a" ? design.a.name : t === "b" ? design.b.name : `${design.a.name} × ${design.b.name}`;
      return `  ${label.padEnd(28)} F ${num(term.F)}  p ${num(term.p)}  partial η² ${num(term.partialEta2)}`;
    }),
    `  contrast ${num(main.contrast.value)}  95% CI [${num(main.contrast.ci95[0])}, ${num(main.contrast.ci95[1])}]  permutation p ${num(main.contrast.pPermutation)}`,
    `  tested ${discovery.tested} features and dimensions; ${discovery.constantFeatures.length} features constant on these prompts (never reported)`,
    ...(discovery.constantTargets.length > 0
      ? [`  targets constant on these prompts (no test): ${discovery.constantTargets.join(", ")}`]
      : []),
    ...pairs
      .slice(0, 5)
      .map((p) => `  pair ${p.a} × ${p.b}: contribution contrast ${num(p.contrast)}, A×B p ${num(p.p)}`),
    "",
  ];
  return lines.join("\n");
}

export const stimulusRunCommand: Command = {
  path: ["stimulus", "run"],
  summary: "Run a 2×2 stimulus design on a stored study: cell means, two-way ANOVA, contrast, discovery; store it.",
  usage: `Flags:
  --study ID|NAME      the study, by id or name (required); its folder must still hold its model, SAE and NFM
  --design FILE        the design JSON: {"name", "a": {"name", "levels"}, "b": …, "readout", "prompts": {"a0b0": […], …}}
  --measure M          interaction_norm | residual_norm | linear_norm | feature:<i> | k_dim:<k> (required)
  --anova-type 2|3     ANOVA type (default 2)
  --json               also print the result as JSON on the last line
Runs in this process and stores the finished analysis with the study.
`,
  options: {
    study: { type: "string" },
    design: { type: "string" },
    measure: { type: "string" },
    "anova-type": { type: "string" },
    json: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const ref = requiredString(values, "study", "give a study id or name, e.g. --study 'sotu-gpt2-6l L3'.");
    const designPath = requiredString(values, "design", "give a design file, e.g. --design design.json.");
    const measure = requiredString(values, "measure", "give a measure, e.g. --measure interaction_norm.");
    const anovaType = anovaTypeFlag(stringFlag(values, "anova-type"), "anova-type");
    const design = readDesign(designPath);
    const { db } = await openMigratedDatabase(config);
    try {
      console.error(`stimulus design "${design.name}" on "${ref}": ${describeDatabase(config, db)}`);
      const progress = studyProgressPrinter(process.stderr, "stimulus");
      const stored = await runAndStoreStimulus(db.sql, config, ref, design, {
        measure,
        anovaType,
        onProgress: (fraction, message) => progress({ fraction, message }),
      });
      process.stdout.write(summary(stored.result));
      console.log(`stimulus analysis ${stored.id} stored for study ${stored.study.id}`);
      if (values["json"] === true) process.stdout.write(`${JSON.stringify(stimulusResultJson(stored.result))}\n`);
    } catch (error) {
      if (error instanceof StudyRefError) throw new UsageError(`--study: ${error.message}`);
      if (error instanceof DesignError) throw new UsageError(`--design ${designPath}: ${error.message}`);
      if (error instanceof MeasureError) throw new UsageError(`--measure: ${error.message}`);
      throw error;
    } finally {
      await db.close();
    }
  },
};
